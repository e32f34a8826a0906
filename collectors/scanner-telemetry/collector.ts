// Subscribes to every scanner's telemetry, status and event channels at QoS 1 and hands accepted messages
// to the spool before the broker gets its PUBACK: MQTT.js sends the PUBACK only when handleMessage calls
// back, so a message is acknowledged exactly when it is durable. Sessions are persistent (fixed client id,
// clean=false), so what arrives while the collector is down waits at the broker.
//
// MQTT.js handles one message at a time per connection. The handler is synchronous (parse + one write()),
// so one connection goes a long way; for more, `connections` > 1 opens several clients on a shared
// subscription ($share/group/...), which Mosquitto and other MQTT 5 brokers balance between them.
import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';
import { TOPIC_ROOT, topicMatches, type AcceptedMessage, type RejectReason } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { LogThrottle } from '../../lib/log-throttle.js';
import type { Collector } from '../types.js';
import { parseScannerMessage, type ParseLimits } from './parse.js';

export interface TelemetrySink {
  /** Makes the message durable; throws when it cannot be accepted (then no PUBACK is sent). */
  accept(message: AcceptedMessage): void;
  /** False while accept() would throw (spool full); used to decide when to ask for redelivery. */
  canAccept(): boolean;
  /** A message was left unacknowledged because accept() threw. */
  notAcknowledged(): void;
}

export interface RejectSink {
  rejected(reason: RejectReason, topic: string, detail: string, payload: Buffer): void;
}

export interface ScannerTelemetryOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  limits: ParseLimits;
  /** MQTT connections; more than one requires (and enables) a shared subscription. */
  connections?: number;
  /** Shared subscription group; empty: a plain subscription (only with one connection). */
  sharedGroup?: string;
  /** Topic filters under the root that another Gantry collector handles (PACS push); skipped here. */
  othersHandle?: readonly string[];
}

// The whole root, not just the scanner shapes: a message a device may publish but on a shape Gantry does not
// read must become a dead letter with a reason, not be acknowledged by the broker and vanish unseen.
const ROOT_FILTER = `${TOPIC_ROOT}/#`;

export class ScannerTelemetryCollector implements Collector {
  readonly name = 'scanner-telemetry';
  private clients: MqttClient[] = [];
  private readonly throttle: LogThrottle;
  private readonly unacked = new Set<MqttClient>();
  private redeliverTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: ScannerTelemetryOptions,
    private readonly sink: TelemetrySink,
    private readonly rejects: RejectSink,
    private readonly log: Logger,
  ) {
    this.throttle = new LogThrottle(log);
  }

  get connected(): boolean { return this.clients.length > 0 && this.clients.every((c) => c.connected); }

  async start(): Promise<void> {
    const n = Math.max(1, this.opts.connections ?? 1);
    const group = this.opts.sharedGroup || (n > 1 ? 'gantry' : '');
    const filters = [group ? `$share/${group}/${ROOT_FILTER}` : ROOT_FILTER];
    await Promise.all(Array.from({ length: n }, (_, i) => this.connect(i === 0 ? this.opts.clientId : `${this.opts.clientId}-${i}`, filters)));
    // A message we could not make durable stays un-acknowledged, and a broker redelivers it only on a new
    // connection of the session; so once the sink can take data again, reconnect the clients that hold some.
    this.redeliverTimer = setInterval(() => this.redeliver(), 1000);
    this.redeliverTimer.unref();
  }

  private async connect(clientId: string, filters: string[]): Promise<void> {
    const options: IClientOptions = {
      clientId,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10000,
      ...(this.opts.username ? { username: this.opts.username, password: this.opts.password } : {}),
    };
    const client = mqtt.connect(this.opts.url, options);
    this.clients.push(client);
    client.handleMessage = (packet, callback) => {
      try {
        this.handle(packet.topic, packet.payload as Buffer);
        callback();
      } catch (err) {
        // Not acknowledged: the broker keeps the message and redelivers it on the next session.
        this.unacked.add(client);
        this.sink.notAcknowledged();
        this.throttle.warn('sink', { err: (err as Error).message }, 'could not make scanner data durable; not acknowledging');
        callback(err as Error);
      }
    };
    client.on('connect', (connack) => {
      this.unacked.delete(client);
      this.log.info({ url: this.opts.url, clientId, sessionPresent: connack.sessionPresent }, 'connected to MQTT broker');
      // Re-subscribing is harmless with a present session and required without one.
      client.subscribe(filters, { qos: 1 }, (err) => {
        if (err) this.log.error({ err: err.message }, 'subscribe failed');
      });
    });
    client.on('offline', () => this.throttle.warn(`offline:${clientId}`, {}, 'MQTT broker unreachable; reconnecting'));
    // handleMessage's error is re-emitted here; it is already reported above.
    client.on('error', (err) => this.throttle.warn('mqtt-error', { err: err.message }, 'MQTT client error'));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no MQTT connection to ${this.opts.url} within 10 s`)), 10000);
      client.once('connect', () => { clearTimeout(timer); resolve(); });
    });
  }

  private redeliver(): void {
    if (this.unacked.size === 0 || !this.sink.canAccept()) return;
    for (const client of this.unacked) {
      this.log.info({ clientId: client.options.clientId }, 'sink accepts data again; reconnecting so the broker redelivers what was not acknowledged');
      client.stream.destroy();
    }
    this.unacked.clear();
  }

  /** Throws only when the sink cannot make an accepted message durable: the one case worth a redelivery. */
  private handle(topic: string, payload: Buffer): void {
    if (this.opts.othersHandle?.some((f) => topicMatches(f, topic))) return;
    const result = parseScannerMessage(topic, payload, this.opts.limits);
    if (!result.ok) {
      this.reject(result.reason, topic, result.detail, payload);
      return;
    }
    this.sink.accept(result);
  }

  private reject(reason: RejectReason, topic: string, detail: string, payload: Buffer): void {
    try {
      this.rejects.rejected(reason, topic, detail, payload);
    } catch (err) {
      // Redelivering a rejected message would reject it again, forever; losing its dead letter is the lesser harm.
      this.throttle.warn('reject-sink', { err: (err as Error).message }, 'could not record a rejected message');
    }
    this.throttle.warn(`reject:${reason}`, { reason, detail }, 'scanner message rejected');
  }

  async stop(): Promise<void> {
    if (this.redeliverTimer) clearInterval(this.redeliverTimer);
    const clients = this.clients;
    this.clients = [];
    await Promise.all(clients.map((c) => c.endAsync()));
  }
}
