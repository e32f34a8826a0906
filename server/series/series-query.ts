// Downsampled time series from InfluxDB. The bucket width is the smallest "nice" step that is at least the
// one asked for and keeps the range within maxPoints buckets, so a year of 1-minute data answers with the
// same number of rows as an hour. Buckets are aligned to the epoch (InfluxQL GROUP BY time), so the same
// range and step always produce the same boundaries.
import type { SeriesPoint, SeriesResponse } from '../../contracts/index.js';
import { influxIdent, influxString, type QuerySeries } from '../storage/influx.js';

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;
export const NICE_STEPS_MS: readonly number[] = [
  S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M,
  H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D, 90 * D, 365 * D,
];

/** Smallest nice step >= max(wanted, range / maxPoints); a step that would still give too many buckets is
 *  widened to a whole multiple of a day. */
export function chooseStepMs(rangeMs: number, maxPoints: number, wantedMs = 0): number {
  // +1 bucket: a range that does not start on a boundary touches one bucket more than range/step.
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
}

export function buildSeriesQuery(r: SeriesRequest): string {
  const fields = r.metrics.flatMap((m) => {
    const f = influxIdent(m);
    return [`mean(${f}) AS ${influxIdent(`${m}__mean`)}`, `min(${f}) AS ${influxIdent(`${m}__min`)}`, `max(${f}) AS ${influxIdent(`${m}__max`)}`];
  });
  const from = Math.trunc(r.from), to = Math.trunc(r.to);
  return `SELECT ${fields.join(', ')} FROM ${influxIdent(r.database)}.${influxIdent(r.retentionPolicy)}."telemetry"`
    + ` WHERE "scanner" = ${influxString(r.scanner)} AND time >= ${from}ms AND time < ${to}ms`
    + ` GROUP BY time(${r.stepMs}ms) fill(none) LIMIT ${r.maxPoints}`;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function parseSeries(r: SeriesRequest, rows: QuerySeries[]): SeriesResponse {
  const s = rows[0];
  const col = new Map((s?.columns ?? []).map((c, i) => [c, i] as const));
  const series = r.metrics.map((metric) => {
    const [im, imin, imax] = [col.get(`${metric}__mean`), col.get(`${metric}__min`), col.get(`${metric}__max`)];
    const points: SeriesPoint[] = [];
    for (const row of s?.values ?? []) {
      const mean = im === undefined ? null : num(row[im]);
      if (mean === null) continue; // fill(none) keeps a bucket when any metric has data; skip it for this one
      points.push({ ts: Number(row[0]), mean, min: imin === undefined ? null : num(row[imin]), max: imax === undefined ? null : num(row[imax]) });
    }
    return { metric, points };
  });
  return { scanner: r.scanner, from: r.from, to: r.to, stepMs: r.stepMs, series };
}
