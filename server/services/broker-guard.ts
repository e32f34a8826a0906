// Limits of the embedded broker that apply before anyone has logged in. aedes buffers a whole packet before it
// parses it and has no packet-size limit, so one TCP connection announcing a 255 MiB CONNECT could make it
// buffer 255 MiB without a credential. Here the MQTT framing (fixed header + remaining length) is read as the
// bytes arrive and the connection is closed as soon as a packet announces more than the limit; and connections
// that have not logged in yet are capped, in total and per address.
import type { Socket } from 'node:net';
import type { Client } from 'aedes';

/** Follows MQTT packet boundaries in a byte stream; feed() is false once a packet announces more than max. */
export class PacketSizeGuard {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private remaining = 0;

  constructor(private readonly maxBytes: number) {}

  feed(buf: Buffer): boolean {
    let i = 0;
    while (i < buf.length) {
      if (this.state === 'body') {
        const take = Math.min(this.remaining, buf.length - i);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.state = 'type';
      } else if (this.state === 'type') {
        i += 1;
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
      } else {
        const b = buf[i++] as number;
        this.length += (b & 0x7f) * this.multiplier;
        if (this.length > this.maxBytes) return false;
        if (b & 0x80) {
          this.multiplier *= 128;
          if (this.multiplier > 128 ** 3) return false; // a remaining length has at most 4 bytes
          continue;
        }
        this.remaining = this.length;
        this.state = this.remaining > 0 ? 'body' : 'type';
      }
    }
    return true;
  }
}

interface ParserHolder { _parser?: { parse(buf: Buffer): unknown } }

/**
 * Puts the guard in front of aedes' packet parser (it reads the socket itself, so the guard cannot be a stream
 * in between without changing what aedes sees). Throws at start-up if aedes no longer has the parser there.
 */
export function guardPacketSize(client: Client, maxBytes: number, onTooLarge: () => void): void {
  const parser = (client as unknown as ParserHolder)._parser;
  if (!parser || typeof parser.parse !== 'function') throw new Error('aedes client has no _parser: the packet-size guard cannot be installed');
  const guard = new PacketSizeGuard(maxBytes);
  const parse = parser.parse.bind(parser);
  parser.parse = (buf: Buffer) => {
    if (guard.feed(buf)) return parse(buf);
    onTooLarge();
    return 0;
  };
}

export interface GateLimits { maxPending: number; maxPendingPerAddress: number }

/** Counts connections that have not logged in yet; refuses new ones past the caps. */
export class ConnectionGate {
  private pending = 0;
  private readonly perAddress = new Map<string, number>();
  /** Address of each counted socket, kept because a closed socket no longer knows it. */
  private readonly open = new WeakMap<Socket, string>();

  constructor(private readonly limits: GateLimits) {}

  /** False: close the socket, a cap is reached. */
  admit(socket: Socket): boolean {
    const addr = socket.remoteAddress ?? '?';
    const mine = this.perAddress.get(addr) ?? 0;
    if (this.pending >= this.limits.maxPending || mine >= this.limits.maxPendingPerAddress) return false;
    this.pending += 1;
    this.perAddress.set(addr, mine + 1);
    this.open.set(socket, addr);
    socket.once('close', () => this.settle(socket));
    return true;
  }

  /** The socket logged in (or closed): it no longer counts. */
  settle(socket: Socket): void {
    const addr = this.open.get(socket);
    if (addr === undefined) return;
    this.open.delete(socket);
    this.pending -= 1;
    const left = (this.perAddress.get(addr) ?? 1) - 1;
    if (left <= 0) this.perAddress.delete(addr);
    else this.perAddress.set(addr, left);
  }

  get pendingCount(): number { return this.pending; }
}
