// PACS history from InfluxDB, bucketed like scanner series (the same nice steps, epoch-aligned GROUP BY
// time): retrieval percentiles per study-age bucket and tier straight from the raw probe points (so a
// bucket's p95 is a true percentile, not a mean of window percentiles), failures per cause, tier fill and
// the success ratio per probe. One InfluxQL request carries a statement per section.
import { PACS_FAILURE_CAUSES, PACS_PROBE_KINDS, type PacsFailureCause, type PacsProbeKind } from '../../contracts/pacs.js';
import { PACS_HISTORY_SECTIONS, type PacsHistory } from '../../contracts/pacs-api.js';
import { influxIdent, influxString, type QuerySeries } from '../storage/influx.js';

export type PacsHistorySection = (typeof PACS_HISTORY_SECTIONS)[number];

export interface PacsHistoryRequest {
  database: string;
  retentionPolicy: string;
  pacsId: string;
  site: string;
  from: number;
  to: number;
  stepMs: number;
  maxPoints: number;
  sections: readonly PacsHistorySection[];
}

function statement(r: PacsHistoryRequest, section: PacsHistorySection): string {
  const from = (m: string) => `${influxIdent(r.database)}.${influxIdent(r.retentionPolicy)}.${influxIdent(m)}`;
  const where = (extra: string) => `WHERE "pacs" = ${influxString(r.pacsId)}${extra} AND time >= ${Math.trunc(r.from)}ms AND time < ${Math.trunc(r.to)}ms`;
  const group = (tags: string) => `GROUP BY time(${r.stepMs}ms), ${tags} fill(none) LIMIT ${r.maxPoints}`;
  switch (section) {
    case 'latency':
      return `SELECT percentile("duration_ms", 50) AS p50, percentile("duration_ms", 95) AS p95, max("duration_ms") AS mx, count("duration_ms") AS n FROM ${from('pacs_probe')} ${where(` AND "probe" = 'retrieve' AND "result" = 'ok'`)} ${group('"age_bucket", "tier"')}`;
    case 'failures':
      return `SELECT count("duration_ms") AS n FROM ${from('pacs_probe')} ${where(` AND "result" = 'fail'`)} ${group('"cause"')}`;
    case 'storage':
      return `SELECT mean("fill_pct") AS mean, min("fill_pct") AS mn, max("fill_pct") AS mx, last("used_bytes") AS used, last("capacity_bytes") AS cap FROM ${from('pacs_storage')} ${where('')} ${group('"tier"')}`;
    case 'association':
      return `SELECT mean("ok") AS ok, count("ok") AS n FROM ${from('pacs_probe')} ${where('')} ${group('"probe"')}`;
  }
}

export function buildPacsHistoryQuery(r: PacsHistoryRequest): string {
  return r.sections.map((s) => statement(r, s)).join('; ');
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Rows of one series as objects keyed by column. */
function rows(s: QuerySeries): Record<string, unknown>[] {
  return s.values.map((v) => Object.fromEntries(s.columns.map((c, i) => [c, v[i]])));
}

const isCause = (c: string | undefined): c is PacsFailureCause => PACS_FAILURE_CAUSES.includes(c as PacsFailureCause);
const isProbe = (p: string | undefined): p is PacsProbeKind => PACS_PROBE_KINDS.includes(p as PacsProbeKind);

export function parsePacsHistory(r: PacsHistoryRequest, results: QuerySeries[][]): PacsHistory {
  const out: PacsHistory = { pacsId: r.pacsId, site: r.site, from: r.from, to: r.to, stepMs: r.stepMs, latency: [], failures: [], storage: [], association: [] };
  r.sections.forEach((section, i) => {
    for (const s of results[i] ?? []) {
      const t = s.tags ?? {};
      const rs = rows(s);
      if (section === 'latency') {
        out.latency.push({ ageBucket: t.age_bucket || 'unknown', tier: t.tier || null, points: rs.map((x) => ({ ts: Number(x.time), p50Ms: num(x.p50), p95Ms: num(x.p95), maxMs: num(x.mx), count: num(x.n) ?? 0 })) });
      } else if (section === 'failures' && isCause(t.cause)) {
        out.failures.push({ cause: t.cause, points: rs.map((x) => ({ ts: Number(x.time), count: num(x.n) ?? 0 })) });
      } else if (section === 'storage' && t.tier) {
        out.storage.push({ tier: t.tier, points: rs.map((x) => ({ ts: Number(x.time), mean: num(x.mean), min: num(x.mn), max: num(x.mx), usedBytes: num(x.used), capacityBytes: num(x.cap) })) });
      } else if (section === 'association' && isProbe(t.probe)) {
        out.association.push({ probe: t.probe, points: rs.map((x) => ({ ts: Number(x.time), okRatio: num(x.ok), attempts: num(x.n) ?? 0 })) });
      }
    }
  });
  return out;
}
