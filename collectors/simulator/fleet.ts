// A simulated fleet: each scanner produces every catalog metric of its modality around the middle of its
// normal range, with noise and an exam-driven daily cycle, and faults bend chosen metrics over time.
import type { Modality, TelemetryReading } from '../../contracts/index.js';
import { metricsFor, type MetricDefinition } from '../../contracts/metric-catalog.js';
import { gaussian, seededRandom } from './random.js';

export interface ScannerSpec { site: string; modality: Modality; scannerId: string }

export type FaultKind = 'helium_leak';
export const FAULT_KINDS: readonly FaultKind[] = ['helium_leak'];

interface ActiveFault { kind: FaultKind; startedAt: number; ratePerSecond: number }

const SITES = ['central', 'riverside'];
const MIX: Modality[] = ['mri', 'ct', 'mri', 'ct', 'mri', 'ct', 'petct', 'xray', 'us'];

/** A deterministic fleet layout: scanners spread over two sites, MRI and CT first. */
export function fleetLayout(count: number): ScannerSpec[] {
  const specs: ScannerSpec[] = [];
  const perSiteCounter = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const site = SITES[i % SITES.length] as string;
    const modality = count <= 12 ? (i % 4 < 2 ? 'mri' : 'ct') : (MIX[Math.floor(i / SITES.length) % MIX.length] as Modality);
    const key = `${site}-${modality}`;
    const n = (perSiteCounter.get(key) ?? 0) + 1;
    perSiteCounter.set(key, n);
    specs.push({ site, modality, scannerId: `${site}-${modality}-${n}` });
  }
  return specs;
}

export class SimulatedScanner {
  private readonly rand: () => number;
  private readonly level = new Map<string, number>();
  private fault: ActiveFault | undefined;
  private readonly metrics: readonly MetricDefinition[];

  constructor(readonly spec: ScannerSpec, seed: number) {
    this.rand = seededRandom(seed);
    this.metrics = metricsFor(spec.modality);
    for (const m of this.metrics) {
      const [lo, hi] = m.normal;
      this.level.set(m.name, m.name === 'helium_level_pct' ? 75 + this.rand() * 20 : lo + (hi - lo) * (0.35 + this.rand() * 0.3));
    }
  }

  injectFault(kind: FaultKind, now: number, ratePerSecond = 0.5): void {
    this.fault = { kind, startedAt: now, ratePerSecond };
  }

  clearFault(): void {
    this.fault = undefined;
    if (this.spec.modality === 'mri') this.level.set('helium_level_pct', 85);
  }

  get activeFault(): FaultKind | undefined { return this.fault?.kind; }

  sample(now: number, dtSeconds: number): TelemetryReading {
    const hour = new Date(now).getHours() + new Date(now).getMinutes() / 60;
    const examLoad = hour >= 7 && hour < 20 ? 0.6 + 0.4 * Math.sin(((hour - 7) / 13) * Math.PI) : 0.1;
    const metrics: Record<string, number> = {};
    for (const m of this.metrics) {
      const [lo, hi] = m.normal;
      const span = hi - lo || Math.abs(hi) * 0.05 || 1;
      let base = this.level.get(m.name) ?? lo;
      if (m.name === 'helium_level_pct') {
        if (this.fault?.kind === 'helium_leak') base = Math.max(0, base - this.fault.ratePerSecond * dtSeconds);
        this.level.set(m.name, base);
        metrics[m.name] = round(base + gaussian(this.rand) * 0.05);
        continue;
      }
      if (m.unit === 'bool') { metrics[m.name] = 1; continue; }
      if (m.name === 'helium_boiloff_l_per_day' && this.fault?.kind === 'helium_leak') {
        metrics[m.name] = round(this.fault.ratePerSecond * 86400 * 0.02);
        continue;
      }
      if (m.name === 'power_kw' || m.name === 'tube_current_ma') base = lo + span * examLoad;
      metrics[m.name] = round(Math.max(m.unit === 'count' ? 0 : -Infinity, base + gaussian(this.rand) * span * 0.03));
    }
    return { ...this.spec, ts: now, metrics };
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
