// Follows a Redis stream on its own connection (XREAD BLOCK would stall every other command on a shared
// one), handing each entry to a handler in order. Entries are batches: one XADD carries all the items a
// process produced in one event-loop turn, so a stream entry costs Redis the same at 10 or 10,000 items/s.
import type { Logger } from '../../lib/logger.js';
import type { RedisClient } from './redis.js';

export interface StreamEntry { id: string; origin: string; items: unknown[] }

type RawEntries = [string, string[]][];

/** Parses XREAD / XRANGE replies (RESP2 arrays) into entries written by StreamBatcher. */
export function parseEntries(raw: RawEntries): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (const [id, fields] of raw) {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
    try { out.push({ id, origin: f.o ?? '', items: JSON.parse(f.b ?? '[]') as unknown[] }); } catch { /* not ours */ }
  }
  return out;
}

/** Collects items and appends them to a stream once per event-loop turn. */
export class StreamBatcher {
  private pending: unknown[] = [];
  private scheduled = false;
  private chain: Promise<unknown> = Promise.resolve();
  private loggedAt = 0;
  private lost = 0;

  constructor(private readonly cmd: RedisClient, private readonly key: string, private readonly origin: string, private readonly maxLen: number, private readonly log: Logger) {}

  push(item: unknown): void {
    this.pending.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const args = ['XADD', this.key, 'MAXLEN', '~', String(this.maxLen), '*', 'o', this.origin, 'b', JSON.stringify(batch)];
    this.chain = this.chain.then(() => this.cmd.sendCommand(args)).catch((err: Error) => {
      // Once per 10 s: while Redis is down this fails on every event-loop turn.
      this.lost += batch.length;
      if (Date.now() - this.loggedAt < 10_000) return;
      this.loggedAt = Date.now();
      this.log.error({ err: err.message, items: this.lost }, 'could not append to the cluster stream (items not shared since the last report)');
      this.lost = 0;
    });
  }

  /** Resolves once everything pushed so far is in Redis (or failed). */
  async drain(): Promise<void> {
    this.flush();
    await this.chain;
  }
}

export class StreamTail {
  private stopped = false;
  private loop: Promise<void> | undefined;

  /** `from`: '$' for new entries only, or an entry id to resume after. */
  constructor(private readonly conn: RedisClient, private readonly key: string, private lastId: string, private readonly handle: (e: StreamEntry) => void | Promise<void>, private readonly log: Logger) {}

  get position(): string { return this.lastId; }

  start(): void { this.loop = this.run(); }

  async stop(): Promise<void> {
    this.stopped = true;
    this.conn.destroy();
    await this.loop?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.lastId === '$') this.lastId = await this.latestId();
        const reply = await this.conn.sendCommand(['XREAD', 'COUNT', '500', 'BLOCK', '1000', 'STREAMS', this.key, this.lastId]) as [string, RawEntries][] | null;
        if (!reply) continue;
        for (const [, entries] of reply) {
          for (const e of parseEntries(entries)) {
            this.lastId = e.id;
            await this.handle(e);
          }
        }
      } catch (err) {
        if (this.stopped) return;
        this.log.error({ err: (err as Error).message, stream: this.key }, 'cluster stream read failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** '$' would skip entries added between two reads, so the tail pins itself to a concrete id at once. */
  private async latestId(): Promise<string> {
    const last = await this.conn.sendCommand(['XREVRANGE', this.key, '+', '-', 'COUNT', '1']) as RawEntries;
    return last[0]?.[0] ?? '0-0';
  }
}
