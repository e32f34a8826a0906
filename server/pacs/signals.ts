// Derived PACS signals kept in memory per PACS: probe results over a sliding window (failure rate by cause,
// latency percentiles per probe and study-age bucket, failure streaks) and tier usage samples (fill,
// growth, days-to-full). Pure bookkeeping: the caller decides when to compute and where results go.
import type { PacsDerived, PacsFailureRate, PacsLatency, PacsProbeKind, PacsProbeResult, PacsProbeState, PacsStorageSample } from '../../contracts/pacs.js';
import { forecastTier, type UsageSample } from './forecast.js';

export interface SignalWindows { probeWindowMs: number; growthWindowMs: number; maxSamples?: number }

interface Streak { lastOk: boolean; consecutiveFailures: number; lastCause?: PacsProbeResult['cause']; attempts: number }
interface TierState { samples: UsageSample[]; capacityBytes?: number }
interface PacsState { site: string; probes: PacsProbeResult[]; streaks: Map<PacsProbeKind, Streak>; tiers: Map<string, TierState> }

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

export class PacsSignals {
  private readonly state = new Map<string, PacsState>();
  private readonly maxSamples: number;

  constructor(private readonly windows: SignalWindows) {
    this.maxSamples = windows.maxSamples ?? 10_000;
  }

  private of(pacsId: string, site: string): PacsState {
    let s = this.state.get(pacsId);
    if (!s) { s = { site, probes: [], streaks: new Map(), tiers: new Map() }; this.state.set(pacsId, s); }
    return s;
  }

  pacsIds(): string[] { return [...this.state.keys()]; }

  recordProbe(r: PacsProbeResult): void {
    const s = this.of(r.pacsId, r.site);
    s.probes.push(r);
    if (s.probes.length > this.maxSamples) s.probes.splice(0, s.probes.length - this.maxSamples);
    const prev = s.streaks.get(r.probe) ?? { lastOk: true, consecutiveFailures: 0, attempts: 0 };
    s.streaks.set(r.probe, {
      lastOk: r.ok,
      consecutiveFailures: r.ok ? 0 : prev.consecutiveFailures + 1,
      attempts: prev.attempts + 1,
      ...(r.ok ? {} : { lastCause: r.cause }),
    });
  }

  recordStorage(x: PacsStorageSample): void {
    const s = this.of(x.pacsId, x.site);
    const t = s.tiers.get(x.tier) ?? { samples: [] };
    t.samples.push({ ts: x.ts, usedBytes: x.usedBytes });
    if (t.samples.length > this.maxSamples) t.samples.splice(0, t.samples.length - this.maxSamples);
    if (x.capacityBytes !== undefined) t.capacityBytes = x.capacityBytes;
    s.tiers.set(x.tier, t);
  }

  compute(pacsId: string, now: number): PacsDerived | undefined {
    const s = this.state.get(pacsId);
    if (!s) return undefined;
    const since = now - this.windows.probeWindowMs;
    s.probes = s.probes.filter((p) => p.ts >= since);
    const failures: PacsFailureRate[] = [];
    const latency: PacsLatency[] = [];
    const byProbe = new Map<PacsProbeKind, PacsProbeResult[]>();
    for (const p of s.probes) {
      const list = byProbe.get(p.probe);
      if (list) list.push(p); else byProbe.set(p.probe, [p]);
    }
    for (const [probe, list] of byProbe) {
      const causes = new Map<NonNullable<PacsProbeResult['cause']>, number>();
      for (const p of list) if (!p.ok && p.cause) causes.set(p.cause, (causes.get(p.cause) ?? 0) + 1);
      for (const [cause, count] of causes) failures.push({ probe, cause, count, rate: count / list.length });
      const buckets = new Map<PacsLatency['ageBucket'], number[]>();
      for (const p of list) {
        if (!p.ok) continue;
        const key = p.ageBucket ?? 'none';
        const values = buckets.get(key);
        if (values) values.push(p.durationMs); else buckets.set(key, [p.durationMs]);
      }
      for (const [ageBucket, values] of buckets) {
        values.sort((a, b) => a - b);
        latency.push({
          probe, ageBucket, count: values.length, p50Ms: percentile(values, 50), p95Ms: percentile(values, 95),
          maxMs: values[values.length - 1] as number, avgMs: values.reduce((a, b) => a + b, 0) / values.length,
        });
      }
    }
    const probes: PacsProbeState[] = [...s.streaks].map(([probe, st]) => ({ probe, ...st, ...(st.lastCause ? { lastCause: st.lastCause } : {}) }));
    const growthSince = now - this.windows.growthWindowMs;
    const tiers = [...s.tiers].map(([tier, t]) => {
      t.samples = t.samples.filter((x) => x.ts >= growthSince);
      return forecastTier(tier, t.samples, t.capacityBytes);
    });
    return { pacsId, site: s.site, ts: now, windowMs: this.windows.probeWindowMs, tiers, failures, latency, probes };
  }
}
