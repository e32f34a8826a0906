// Publishes the simulated fleet to MQTT exactly as real scanners would (same topics, same payloads), so
// everything downstream is exercised for real.
import mqtt, { type MqttClient } from 'mqtt';
import { scannerTopic, type TelemetrySample } from '../../contracts/index.js';
import type { Logger } from '../../server/lib/logger.js';
import type { Collector } from '../types.js';
import { fleetLayout, SimulatedScanner, type FaultKind } from './fleet.js';

export interface SimulatorOptions {
  url: string;
  username?: string;
  password?: string;
  scanners: number;
  intervalMs: number;
  seed: number;
}

export class FleetSimulator implements Collector {
  readonly name = 'fleet-simulator';
  readonly scanners: SimulatedScanner[];
  private client: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last = Date.now();

  constructor(private readonly opts: SimulatorOptions, private readonly log: Logger) {
    this.scanners = fleetLayout(opts.scanners).map((spec, i) => new SimulatedScanner(spec, opts.seed * 7919 + i));
  }

  async start(): Promise<void> {
    this.client = await mqtt.connectAsync(this.opts.url, {
      clientId: `gantry-simulator-${process.pid}-${this.opts.seed}`,
      reconnectPeriod: 1000,
      ...(this.opts.username ? { username: this.opts.username, password: this.opts.password } : {}),
    });
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
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync();
  }
}
