// The simulated PACS's storage agent: publishes tier usage to gantry/v1/{site}/pacs/{pacsId}/metrics, as an
// edge agent beside a real PACS does (docs/pacs.md, "Metrics pushed by an edge agent"). It first publishes
// `backfillDays` of history (one sample per step), so the growth fit and days-to-full show from the first
// minute, then one sample per interval. Usage grows linearly per tier, mostly in working hours, with noise.
import mqtt, { type MqttClient } from 'mqtt';
import { pacsMetricsTopic, type PacsPushPayload } from '../../contracts/pacs.js';
import { gaussian, seededRandom } from '../../lib/random.js';
import type { TierSpec } from './archive.js';

const DAY_MS = 86_400_000;

export interface StorageAgentOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  pacsId: string;
  site: string;
  tiers: readonly TierSpec[];
  seed: number;
  /** The moment the tiers are at their `fillPctNow`. */
  anchorMs: number;
  backfillDays: number;
  backfillStepMs: number;
  intervalMs: number;
}

/** Used bytes of a tier at `t`: the daily growth lands between 07:00 and 19:00, when studies arrive. */
export function tierUsedBytes(tier: TierSpec, anchorMs: number, t: number, noise: number): number {
  const days = (t - anchorMs) / DAY_MS;
  const whole = Math.floor(days);
  const hour = (days - whole) * 24;
  const dayShare = Math.min(1, Math.max(0, (hour - 7) / 12));
  const pct = tier.fillPctNow + tier.growthPctPerDay * (whole + dayShare - 0.5) + noise;
  return Math.max(0, (pct / 100) * tier.capacityBytes);
}

export class StorageAgent {
  private client: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly rand: () => number;
  private readonly topic: string;

  constructor(private readonly o: StorageAgentOptions) {
    this.rand = seededRandom(o.seed * 613 + 11);
    this.topic = pacsMetricsTopic({ site: o.site, pacsId: o.pacsId });
  }

  private payload(t: number): PacsPushPayload {
    return {
      ts: Math.round(t),
      storage: this.o.tiers.map((tier) => ({ tier: tier.name, usedBytes: Math.round(tierUsedBytes(tier, this.o.anchorMs, t, 0.03 * gaussian(this.rand))), capacityBytes: tier.capacityBytes })),
    };
  }

  private async publish(t: number): Promise<void> {
    await this.client?.publishAsync(this.topic, JSON.stringify(this.payload(t)), { qos: 1 });
  }

  /** Connects, publishes the backfill, then publishes live. Resolves when the backfill is out. */
  async start(): Promise<number> {
    this.client = await mqtt.connectAsync(this.o.url, {
      clientId: `gantry-pacs-simulator-${process.pid}-${this.o.seed}`, reconnectPeriod: 1000,
      ...(this.o.username ? { username: this.o.username, password: this.o.password } : {}),
    });
    const now = Date.now();
    let n = 0;
    for (let t = now - this.o.backfillDays * DAY_MS; t < now; t += this.o.backfillStepMs) { await this.publish(t); n += 1; }
    await this.publish(Date.now());
    this.timer = setInterval(() => { void this.publish(Date.now()).catch(() => undefined); }, this.o.intervalMs);
    return n;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.client?.endAsync();
    this.client = undefined;
  }
}
