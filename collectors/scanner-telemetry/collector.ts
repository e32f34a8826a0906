// Subscribes to every scanner's telemetry at QoS 1 and hands accepted readings to the spool before the
// broker gets its PUBACK: MQTT.js sends the PUBACK only when handleMessage calls back, so a reading is
// acknowledged exactly when it is durable. The session is persistent (fixed client id, clean=false), so what
// arrives while the collector is down waits at the broker.
import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';
import { fleetFilter, type RejectReason, type TelemetryReading } from '../../contracts/index.js';
import type { Logger } from '../../server/lib/logger.js';
import { LogThrottle } from '../../server/lib/log-throttle.js';
import type { Collector } from '../types.js';
import { parseTelemetry, type ParseLimits } from './parse.js';

export interface TelemetrySink {
  /** Makes readings durable; throws when they cannot be accepted (then no PUBACK is sent). */
  accept(readings: TelemetryReading[]): void;
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
}

export class ScannerTelemetryCollector implements Collector {
  readonly name = 'scanner-telemetry';
  private client: MqttClient | undefined;
  private readonly throttle: LogThrottle;

  constructor(
    private readonly opts: ScannerTelemetryOptions,
    private readonly sink: TelemetrySink,
    private readonly rejects: RejectSink,
    private readonly log: Logger,
  ) {
    this.throttle = new LogThrottle(log);
  }

  get connected(): boolean { return this.client?.connected ?? false; }

  async start(): Promise<void> {
    const options: IClientOptions = {
      clientId: this.opts.clientId,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10000,
      ...(this.opts.username ? { username: this.opts.username, password: this.opts.password } : {}),
    };
    const client = mqtt.connect(this.opts.url, options);
    this.client = client;
    client.handleMessage = (packet, callback) => {
      try {
        this.handle(packet.topic, packet.payload as Buffer);
        callback();
      } catch (err) {
        // Not acknowledged: the broker keeps the message and redelivers it on the next session.
        this.throttle.warn('sink', { err: (err as Error).message }, 'could not make telemetry durable; not acknowledging');
        callback(err as Error);
      }
    };
    client.on('connect', (connack) => {
      this.log.info({ url: this.opts.url, sessionPresent: connack.sessionPresent }, 'connected to MQTT broker');
      // Re-subscribing is harmless with a present session and required without one.
      client.subscribe(fleetFilter('telemetry'), { qos: 1 }, (err) => {
        if (err) this.log.error({ err: err.message }, 'subscribe failed');
      });
    });
    client.on('offline', () => this.log.warn('MQTT broker unreachable; reconnecting'));
    client.on('error', (err) => this.throttle.warn('mqtt-error', { err: err.message }, 'MQTT client error'));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no MQTT connection to ${this.opts.url} within 10 s`)), 10000);
      client.once('connect', () => { clearTimeout(timer); resolve(); });
    });
  }

  private handle(topic: string, payload: Buffer): void {
    const result = parseTelemetry(topic, payload, this.opts.limits);
    if (!result.ok) {
      this.rejects.rejected(result.reason, topic, result.detail, payload);
      this.throttle.warn(`reject:${result.reason}`, { reason: result.reason, topic, detail: result.detail }, 'telemetry rejected');
      return;
    }
    this.sink.accept(result.readings);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync();
  }
}
