// Publishes the simulated fleet to MQTT exactly as real scanners would (same topics, same payloads: telemetry,
// status changes, events), so everything downstream is exercised for real. Live mode publishes one sample
// per scanner per interval; backfill() publishes a stretch of simulated history as batch payloads, as fast
// as the broker acknowledges them (and Gantry acknowledges only what is durable, so that is ingest's pace).
import mqtt, { type MqttClient } from 'mqtt';
import { scannerTopic, type EventSample, type StatusSample, type TelemetrySample } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import type { Collector } from '../types.js';
import type { FaultKind, SimulatedScanner } from './fleet.js';
import { buildFleet, type PlannedFault } from './scenario.js';

export interface SimulatorOptions {
  url: string;
  username?: string;
  password?: string;
  scanners: number;
  intervalMs: number;
  seed: number;
  /** Scripted faults (absolute times); injectFault() adds more at run time. */
  faults?: readonly PlannedFault[];
}

export interface BackfillOptions { startMs: number; endMs: number; stepMs: number; samplesPerMessage?: number; inFlight?: number }

export class FleetSimulator implements Collector {
  readonly name = 'fleet-simulator';
  readonly scanners: SimulatedScanner[];
  /** The scripted faults it runs (its ground truth). */
  readonly faults: readonly PlannedFault[];
  private client: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last = Date.now();
  private stopped = false;

  constructor(private readonly opts: SimulatorOptions, private readonly log: Logger) {
    this.faults = opts.faults ?? [];
    this.scanners = buildFleet(opts.scanners, opts.seed, this.faults);
  }

  async connect(): Promise<MqttClient> {
    this.client ??= await mqtt.connectAsync(this.opts.url, {
      // Derived from the username: the embedded broker lets a device credential use only `<username>-*` ids,
      // and reserves the gantry prefix for Gantry's own clients.
      clientId: `${this.opts.username ?? 'simulator'}-sim-${process.pid}-${this.opts.seed}`,
      reconnectPeriod: 1000,
      ...(this.opts.username ? { username: this.opts.username, password: this.opts.password } : {}),
    });
    return this.client;
  }

  async start(): Promise<void> {
    if (this.stopped) return; // stopped while a backfill was still running
    await this.connect();
    this.last = Date.now();
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
    this.log.info({ scanners: this.scanners.length, intervalMs: this.opts.intervalMs }, 'simulated fleet publishing');
  }

  injectFault(scannerId: string, kind: FaultKind, ratePerSecond?: number): boolean {
    const s = this.scanners.find((x) => x.spec.scannerId === scannerId);
    if (!s) return false;
    s.injectFault(kind, Date.now(), ratePerSecond);
    this.log.info({ scannerId, kind, ratePerSecond }, 'fault injected');
    return true;
  }

  clearFault(scannerId: string): boolean {
    const s = this.scanners.find((x) => x.spec.scannerId === scannerId);
    s?.clearFault();
    return s !== undefined;
  }

  private tick(): void {
    const client = this.client;
    if (!client) return;
    const now = Date.now();
    const dt = (now - this.last) / 1000;
    this.last = now;
    for (const s of this.scanners) {
      const r = s.sample(now, dt);
      const payload: TelemetrySample = { ts: r.ts, metrics: r.metrics };
      client.publish(scannerTopic(s.spec, 'telemetry'), JSON.stringify(payload), { qos: 1 });
      const { statuses, events } = s.takeNotices();
      void this.publishNotices(client, s, statuses, events).catch(() => undefined);
    }
  }

  private async publishNotices(client: MqttClient, s: SimulatedScanner, statuses: StatusSample[], events: EventSample[]): Promise<void> {
    if (statuses.length > 0) await client.publishAsync(scannerTopic(s.spec, 'status'), JSON.stringify({ statuses }), { qos: 1 });
    if (events.length > 0) await client.publishAsync(scannerTopic(s.spec, 'event'), JSON.stringify({ events }), { qos: 1 });
  }

  /**
   * Publishes simulated history [startMs, endMs) as batch payloads, keeping at most `inFlight` messages
   * unacknowledged. Returns what was sent. The scanners keep their state, so a live run can follow.
   */
  async backfill(o: BackfillOptions, onProgress?: (doneMs: number) => void): Promise<{ samples: number; messages: number }> {
    const client = await this.connect();
    const perMessage = o.samplesPerMessage ?? 200;
    const window = o.inFlight ?? 32;
    const pending = new Set<Promise<void>>();
    let samples = 0;
    let messages = 0;
    const send = async (topic: string, body: object) => {
      while (pending.size >= window) await Promise.race(pending);
      const p = client.publishAsync(topic, JSON.stringify(body), { qos: 1 }).then(() => undefined);
      pending.add(p);
      // Both outcomes handled here, so a publish cut off by stop() is not an unhandled rejection.
      p.then(() => pending.delete(p), () => pending.delete(p));
      messages += 1;
    };
    const buffers = new Map<SimulatedScanner, TelemetrySample[]>();
    const flush = async (s: SimulatedScanner) => {
      const buf = buffers.get(s) ?? [];
      if (buf.length > 0) await send(scannerTopic(s.spec, 'telemetry'), { samples: buf });
      buffers.set(s, []);
      const { statuses, events } = s.takeNotices();
      if (statuses.length > 0) await send(scannerTopic(s.spec, 'status'), { statuses });
      if (events.length > 0) await send(scannerTopic(s.spec, 'event'), { events });
    };
    let lastReport = 0;
    for (let t = o.startMs; t < o.endMs && !this.stopped; t += o.stepMs) {
      for (const s of this.scanners) {
        const r = s.sample(t, o.stepMs / 1000);
        const buf = buffers.get(s) ?? [];
        buf.push({ ts: r.ts, metrics: r.metrics });
        buffers.set(s, buf);
        samples += 1;
        if (buf.length >= perMessage) await flush(s);
      }
      if (onProgress && t - lastReport > 6 * 3600000) { lastReport = t; onProgress(t); }
    }
    if (this.stopped) return { samples, messages };
    for (const s of this.scanners) await flush(s);
    await Promise.all(pending);
    this.last = Date.now();
    return { samples, messages };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync();
  }
}
