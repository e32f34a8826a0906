// PACS metrics pushed by an edge agent (a Gantry collector next to a PACS Gantry cannot reach) on
// gantry/v1/{site}/pacs/{pacsId}/metrics. Validated against the same contract as local probe results and
// handed to the same intake; the PUBACK is sent after the intake made them durable.
import mqtt, { type MqttClient } from 'mqtt';
import { Value } from '@sinclair/typebox/value';
import { PACS_METRICS_FILTER, PacsPushPayload, parsePacsTopic, type PacsPushPayload as Payload } from '../../contracts/pacs.js';
import type { RejectReason, Timestamp } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { LogThrottle } from '../../lib/log-throttle.js';
import type { PacsIntake } from './intake.js';
import type { Collector } from '../types.js';

export interface PacsPushOptions { url: string; clientId: string; username?: string; password?: string; maxPayloadBytes: number }
export type PushRejects = (reason: RejectReason, topic: string, detail: string) => void;

const toMs = (ts: Timestamp): number => (typeof ts === 'number' ? ts : Date.parse(ts));

export function applyPush(site: string, pacsId: string, p: Payload, intake: PacsIntake): void {
  const at = toMs(p.ts);
  for (const probe of p.probes ?? []) intake.probe({ ...probe, pacsId, site, ts: toMs(probe.ts) });
  for (const s of p.storage ?? []) intake.storage({ ...s, pacsId, site, ts: at, source: 'mqtt' });
  if (p.stats) intake.stats(pacsId, site, 'mqtt', at, p.stats);
}

export class PacsPushSubscriber implements Collector {
  readonly name = 'pacs-push';
  private client: MqttClient | undefined;
  private readonly throttle: LogThrottle;

  constructor(private readonly opts: PacsPushOptions, private readonly intake: PacsIntake, private readonly rejected: PushRejects, private readonly log: Logger) {
    this.throttle = new LogThrottle(log);
  }

  async start(): Promise<void> {
    const client = mqtt.connect(this.opts.url, {
      clientId: this.opts.clientId, clean: false, reconnectPeriod: 1000, connectTimeout: 10000,
      ...(this.opts.username ? { username: this.opts.username, password: this.opts.password } : {}),
    });
    this.client = client;
    client.handleMessage = (packet, callback) => {
      try {
        this.handle(packet.topic, packet.payload as Buffer);
        callback();
      } catch (err) {
        this.throttle.warn('sink', { err: (err as Error).message }, 'could not store pushed PACS metrics; not acknowledging');
        callback(err as Error);
      }
    };
    client.on('connect', () => {
      client.subscribe(PACS_METRICS_FILTER, { qos: 1 }, (err) => { if (err) this.log.error({ err: err.message }, 'subscribe failed'); });
    });
    client.on('error', (err) => this.throttle.warn('mqtt-error', { err: err.message }, 'MQTT client error'));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no MQTT connection to ${this.opts.url} within 10 s`)), 10000);
      client.once('connect', () => { clearTimeout(timer); resolve(); });
    });
  }

  private reject(reason: RejectReason, topic: string, detail: string): void {
    this.rejected(reason, topic, detail);
    this.throttle.warn(`reject:${reason}`, { reason, topic, detail }, 'pushed PACS metrics rejected');
  }

  private handle(topic: string, payload: Buffer): void {
    const t = parsePacsTopic(topic);
    if ('error' in t) return this.reject('bad_topic', topic, t.error);
    if (payload.length > this.opts.maxPayloadBytes) return this.reject('oversize', topic, `${payload.length} bytes`);
    let body: unknown;
    try { body = JSON.parse(payload.toString('utf8')); } catch { return this.reject('malformed_json', topic, 'not JSON'); }
    if (!Value.Check(PacsPushPayload, body)) {
      const first = Value.Errors(PacsPushPayload, body).First();
      // The path and message name the offending key, never its value (which could be anything).
      return this.reject('schema', topic, first ? `${first.path || '/'}: ${first.message}` : 'invalid');
    }
    applyPush(t.site, t.pacsId, body, this.intake);
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.endAsync();
  }
}
