// Pools fleet reports over several seeds: per fault kind detection rate and lead-time distribution, and the
// false-alarm rate per healthy scanner-day with a 95 % Poisson interval (false alarms are rare events counted
// over an exposure, so a rate from a handful of alarms needs its interval to mean anything).
import type { FleetReport } from './evaluate.js';

export interface KindSummary {
  kind: string;
  faults: number;
  detected: number;
  medianLeadH: number | null;
  p10LeadH: number | null;
  /** Detected faults whose first alert came from the anomaly gate / a forecast. */
  byAnomaly: number;
  byForecast: number;
}

export interface FleetSummary {
  kinds: KindSummary[];
  falseAlarms: number;
  scannerDays: number;
  rate: number;
  ci95: [number, number];
  byCause: Array<[string, number]>;
}

export function percentile(xs: number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** 95 % interval of a Poisson count (Wilson-Hilferty approximation of the exact Garwood interval). */
export function poissonCi95(k: number): [number, number] {
  const z = 1.959964;
  const lower = k === 0 ? 0 : k * (1 - 1 / (9 * k) - z / (3 * Math.sqrt(k))) ** 3;
  const k1 = k + 1;
  const upper = k1 * (1 - 1 / (9 * k1) + z / (3 * Math.sqrt(k1))) ** 3;
  return [Math.max(0, lower), upper];
}

export function summarizeFleet(reports: ReadonlyArray<Omit<FleetReport, 'alerts'>>): FleetSummary {
  const kinds = [...new Set(reports.flatMap((r) => r.kinds.map((k) => k.kind)))].map((kind): KindSummary => {
    const mine = reports.flatMap((r) => r.kinds.filter((k) => k.kind === kind));
    const leads = mine.flatMap((k) => k.leadsMs).map((ms) => ms / 3_600_000);
    return {
      kind,
      faults: mine.reduce((s, k) => s + k.faults, 0),
      detected: mine.reduce((s, k) => s + k.detected, 0),
      medianLeadH: percentile(leads, 0.5),
      p10LeadH: percentile(leads, 0.1),
      byAnomaly: mine.reduce((s, k) => s + k.byAnomaly, 0),
      byForecast: mine.reduce((s, k) => s + k.byForecast, 0),
    };
  });
  const falseAlarms = reports.reduce((s, r) => s + r.falseAlarms, 0);
  const scannerDays = reports.reduce((s, r) => s + r.healthyScannerDays, 0);
  const [lo, hi] = poissonCi95(falseAlarms);
  const causes = new Map<string, number>();
  for (const r of reports) for (const [c, n] of Object.entries(r.falseAlarmsByCause)) causes.set(c, (causes.get(c) ?? 0) + n);
  return {
    kinds,
    falseAlarms,
    scannerDays,
    rate: falseAlarms / Math.max(1e-9, scannerDays),
    ci95: [lo / Math.max(1e-9, scannerDays), hi / Math.max(1e-9, scannerDays)],
    byCause: [...causes.entries()].sort((a, b) => b[1] - a[1]),
  };
}
