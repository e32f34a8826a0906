// eval:fleet output: the full table for one gate setting, or one line per setting of a --grid.
import type { GateOptions } from '../../models/src/fleet/evaluate.js';
import type { FleetSummary } from '../../models/src/fleet/summary.js';

const h = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(1)} h`);
const pct = (d: number, n: number): string => `${Math.round((100 * d) / Math.max(1, n))}%`;

export function printSummary(s: FleetSummary, seeds: string, label: string, compact: boolean): void {
  const perDay = (n: number): string => (n / Math.max(1e-9, s.scannerDays)).toFixed(3);
  const fa = `${s.falseAlarms} false alarms over ${s.scannerDays.toFixed(1)} healthy scanner-days = ${s.rate.toFixed(3)} per scanner-day (95 % CI ${s.ci95[0].toFixed(3)}-${s.ci95[1].toFixed(3)})`;
  if (compact) {
    const kinds = s.kinds.map((k) => `${k.kind} ${pct(k.detected, k.faults)} ${h(k.medianLeadH)}/${h(k.p10LeadH)}`).join('; ');
    console.log(`${label}: ${fa}; ${kinds}; causes ${s.byCause.map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}`);
    return;
  }
  console.log(`${'fault'.padEnd(20)} ${'detected'.padStart(9)} ${'rate'.padStart(6)} ${'median lead'.padStart(12)} ${'p10 lead'.padStart(10)}  first alert by`);
  for (const k of s.kinds) {
    const by = `anomaly ${k.byAnomaly}, forecast ${k.byForecast}`;
    console.log(`${k.kind.padEnd(20)} ${`${k.detected}/${k.faults}`.padStart(9)} ${pct(k.detected, k.faults).padStart(6)} ${h(k.medianLeadH).padStart(12)} ${h(k.p10LeadH).padStart(10)}  ${by}`);
  }
  console.log(`false alarms by cause (per healthy scanner-day): ${s.byCause.map(([c, n]) => `${c} ${n} (${perDay(n)})`).join(', ') || 'none'}`);
  console.log(`summary: ${fa}; detected ${s.kinds.reduce((x, k) => x + k.detected, 0)}/${s.kinds.reduce((x, k) => x + k.faults, 0)} faults; seeds ${seeds}`);
}

interface Grid { n?: number[]; m?: number[]; persistH?: number[]; horizonDays?: number[]; loadFollowing?: boolean[] }
type Point = { n: number; m: number; persistH: number; horizonDays: number; loadFollowing: boolean };

/** Every combination of the grid's values over the base gates. */
export function gridOf(json: string, base: GateOptions): Array<{ label: string; gates: GateOptions }> {
  const g = JSON.parse(json) as Grid;
  const axes: { [K in keyof Point]: Point[K][] } = {
    n: g.n ?? [base.anomaly.n],
    m: g.m ?? [base.anomaly.m],
    persistH: g.persistH ?? [base.forecast.persistMs / 3_600_000],
    horizonDays: g.horizonDays ?? [base.forecast.horizonMs / 86_400_000],
    loadFollowing: g.loadFollowing ?? [base.forecastLoadFollowing !== false],
  };
  let points: Partial<Point>[] = [{}];
  for (const [key, values] of Object.entries(axes)) points = points.flatMap((p) => (values as unknown[]).map((v) => ({ ...p, [key]: v })));
  return (points as Point[]).map((p) => ({
    label: `n=${p.n} m=${p.m} persist=${p.persistH}h horizon=${p.horizonDays}d loadFollowing=${p.loadFollowing}`,
    gates: {
      ...base,
      forecastLoadFollowing: p.loadFollowing,
      anomaly: { ...base.anomaly, n: p.n, m: p.m },
      forecast: { horizonMs: p.horizonDays * 86_400_000, persistMs: p.persistH * 3_600_000, recoverHorizonMs: p.horizonDays * 1.2 * 86_400_000 },
    },
  }));
}
