// Downsampled time series from InfluxDB. The bucket width is the smallest "nice" step that is at least the
// one asked for and keeps the range within maxPoints buckets, so any range answers with a bounded number of
// rows. Buckets are aligned to the epoch (InfluxQL GROUP BY time), so the same range and step always give the
// same boundaries. Whole-hour steps read the hourly rollup for the whole hours inside the range and raw data
// only for the partial hours at its edges (and the last hour or so, which the rollup may not have yet); the
// parts are merged by sum and count, so means stay exact.
import type { SeriesPoint, SeriesResponse } from '../../contracts/index.js';
import { influxIdent, influxString, type QuerySeries } from '../storage/influx.js';
import { HOUR } from '../../contracts/units.js';
import { ROLLUP_MEASUREMENT, ROLLUP_RP } from './rollup.js';

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;
export const NICE_STEPS_MS: readonly number[] = [
  S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M,
  H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D, 90 * D, 365 * D,
];
/** How long after an hour ends before the rollup is trusted to hold it (the continuous query runs every 15 min). */
export const ROLLUP_LAG_MS = H;

/** Smallest nice step >= max(wanted, range / (maxPoints - 1)); beyond the list, whole days. The -1 leaves
 *  room for a range that does not start on a boundary and so touches one bucket more. */
export function chooseStepMs(rangeMs: number, maxPoints: number, wantedMs = 0): number {
  const floor = Math.max(wantedMs, Math.ceil(rangeMs / Math.max(1, maxPoints - 1)));
  const nice = NICE_STEPS_MS.find((s) => s >= floor);
  return nice ?? Math.ceil(floor / D) * D;
}

export interface SeriesRequest {
  database: string;
  retentionPolicy: string;
  scanner: string;
  metrics: string[];
  from: number;
  to: number;
  stepMs: number;
  maxPoints: number;
  /** Raw measurement to read (default telemetry); only telemetry has an hourly rollup. */
  measurement?: string;
}

export interface Segment { source: 'raw' | 'rollup'; from: number; to: number }

/** Splits [from, to) into raw edges and a rollup middle, when the step is whole hours. */
export function planSegments(from: number, to: number, stepMs: number, now: number, useRollup: boolean): Segment[] {
  if (!useRollup || stepMs % HOUR !== 0) return [{ source: 'raw', from, to }];
  const rollFrom = Math.ceil(from / HOUR) * HOUR;
  const rollTo = Math.min(Math.floor(to / HOUR), Math.floor((now - ROLLUP_LAG_MS) / HOUR)) * HOUR;
  if (rollTo <= rollFrom) return [{ source: 'raw', from, to }];
  const out: Segment[] = [];
  if (from < rollFrom) out.push({ source: 'raw', from, to: rollFrom });
  out.push({ source: 'rollup', from: rollFrom, to: rollTo });
  if (rollTo < to) out.push({ source: 'raw', from: rollTo, to });
  return out;
}

function statement(r: SeriesRequest, seg: Segment): string {
  const fields = r.metrics.flatMap((m) => {
    const a = (agg: string) => influxIdent(`${m}__${agg}`);
    if (seg.source === 'raw') {
      const f = influxIdent(m);
      return [`sum(${f}) AS ${a('sum')}`, `count(${f}) AS ${a('count')}`, `min(${f}) AS ${a('min')}`, `max(${f}) AS ${a('max')}`];
    }
    const f = (agg: string) => influxIdent(`${agg}_${m}`);
    return [`sum(${f('sum')}) AS ${a('sum')}`, `sum(${f('count')}) AS ${a('count')}`, `min(${f('min')}) AS ${a('min')}`, `max(${f('max')}) AS ${a('max')}`];
  });
  const from = influxIdent(r.database) + '.' + (seg.source === 'raw'
    ? `${influxIdent(r.retentionPolicy)}.${influxIdent(r.measurement ?? 'telemetry')}`
    : `${influxIdent(ROLLUP_RP)}.${influxIdent(r.measurement ?? ROLLUP_MEASUREMENT)}`);
  return `SELECT ${fields.join(', ')} FROM ${from}`
    + ` WHERE "scanner" = ${influxString(r.scanner)} AND time >= ${Math.trunc(seg.from)}ms AND time < ${Math.trunc(seg.to)}ms`
    + ` GROUP BY time(${r.stepMs}ms) fill(none) LIMIT ${r.maxPoints}`;
}

/** One InfluxQL request with a statement per segment. */
export function buildSeriesQuery(r: SeriesRequest, segments: Segment[]): string {
  return segments.map((s) => statement(r, s)).join('; ');
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

interface Acc { sum: number; count: number; min: number; max: number }

export function parseSeries(r: SeriesRequest, results: QuerySeries[][]): SeriesResponse {
  const series = r.metrics.map((metric) => {
    const buckets = new Map<number, Acc>();
    for (const rows of results) {
      const s = rows[0];
      if (!s) continue;
      const col = new Map(s.columns.map((c, i) => [c, i] as const));
      const at = (row: unknown[], agg: string) => { const i = col.get(`${metric}__${agg}`); return i === undefined ? null : num(row[i]); };
      for (const row of s.values) {
        const count = at(row, 'count');
        const sum = at(row, 'sum'), min = at(row, 'min'), max = at(row, 'max');
        if (!count || sum === null || min === null || max === null) continue; // this metric has no data in the bucket
        const ts = Number(row[0]);
        const b = buckets.get(ts);
        if (!b) buckets.set(ts, { sum, count, min, max });
        else { b.sum += sum; b.count += count; b.min = Math.min(b.min, min); b.max = Math.max(b.max, max); }
      }
    }
    const points: SeriesPoint[] = [...buckets.entries()].sort((a, b) => a[0] - b[0]).slice(0, r.maxPoints)
      .map(([ts, b]) => ({ ts, mean: b.sum / b.count, min: b.min, max: b.max }));
    return { metric, points };
  });
  return { scanner: r.scanner, from: r.from, to: r.to, stepMs: r.stepMs, series };
}
