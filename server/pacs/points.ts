// Data model of PACS figures in InfluxDB (docs/pacs.md): one measurement per kind, tags only from
// configuration or closed enums (pacs, site, probe, result, cause, canary, tier, age_bucket, source), so
// cardinality is bounded; millisecond timestamps like telemetry.
import { Point } from '@influxdata/influxdb-client';
import type { PacsDerived, PacsProbeResult, PacsStorageSample } from '../../contracts/pacs.js';

/** Where PACS line protocol goes: the telemetry spool, so PACS points share its durable path to InfluxDB. */
export interface PointSink {
  append(lines: readonly string[]): void;
}

const ts = (ms: number) => String(Math.round(ms));

export function probeLine(r: PacsProbeResult): string {
  const p = new Point('pacs_probe').tag('pacs', r.pacsId).tag('site', r.site).tag('probe', r.probe).tag('result', r.ok ? 'ok' : 'fail');
  if (r.cause) p.tag('cause', r.cause);
  if (r.canary) p.tag('canary', r.canary);
  if (r.ageBucket) p.tag('age_bucket', r.ageBucket);
  if (r.tier) p.tag('tier', r.tier);
  p.floatField('duration_ms', r.durationMs).intField('ok', r.ok ? 1 : 0);
  if (r.code) p.stringField('code', r.code);
  if (r.matches !== undefined) p.intField('matches', r.matches);
  if (r.firstInstanceMs !== undefined) p.floatField('first_instance_ms', r.firstInstanceMs);
  if (r.instances !== undefined) p.intField('instances', r.instances);
  if (r.bytes !== undefined) p.floatField('bytes', r.bytes);
  if (r.mbPerSec !== undefined) p.floatField('mb_per_s', r.mbPerSec);
  return p.timestamp(ts(r.ts)).toLineProtocol() as string;
}

export function storageLine(s: PacsStorageSample): string {
  const p = new Point('pacs_storage').tag('pacs', s.pacsId).tag('site', s.site).tag('tier', s.tier).tag('source', s.source)
    .floatField('used_bytes', s.usedBytes);
  if (s.capacityBytes !== undefined) p.floatField('capacity_bytes', s.capacityBytes).floatField('fill_pct', (100 * s.usedBytes) / s.capacityBytes);
  return p.timestamp(ts(s.ts)).toLineProtocol() as string;
}

export function statsLine(pacsId: string, site: string, source: string, at: number, values: Readonly<Record<string, number>>): string | undefined {
  const p = new Point('pacs_stats').tag('pacs', pacsId).tag('site', site).tag('source', source);
  let n = 0;
  for (const [k, v] of Object.entries(values)) if (Number.isFinite(v)) { p.floatField(k, v); n += 1; }
  return n > 0 ? p.timestamp(ts(at)).toLineProtocol() as string : undefined;
}

export function derivedLines(d: PacsDerived): string[] {
  const base = (m: string) => new Point(m).tag('pacs', d.pacsId).tag('site', d.site);
  const lines: (string | undefined)[] = [];
  const opt = (p: Point, name: string, v: number | null) => { if (v !== null && Number.isFinite(v)) p.floatField(name, v); };
  for (const t of d.tiers) {
    const p = base('pacs_forecast').tag('tier', t.tier).floatField('used_bytes', t.usedBytes).intField('samples', t.samples);
    opt(p, 'capacity_bytes', t.capacityBytes); opt(p, 'fill_pct', t.fillPct); opt(p, 'growth_bytes_per_day', t.growthBytesPerDay);
    opt(p, 'days_to_full', t.daysToFull); opt(p, 'days_to_full_low', t.daysToFullLow); opt(p, 'days_to_full_high', t.daysToFullHigh);
    lines.push(p.timestamp(ts(d.ts)).toLineProtocol());
  }
  for (const f of d.failures) {
    lines.push(base('pacs_failure_rate').tag('probe', f.probe).tag('cause', f.cause).intField('count', f.count).floatField('rate', f.rate).timestamp(ts(d.ts)).toLineProtocol());
  }
  for (const l of d.latency) {
    lines.push(base('pacs_latency').tag('probe', l.probe).tag('age_bucket', l.ageBucket).intField('count', l.count)
      .floatField('p50_ms', l.p50Ms).floatField('p95_ms', l.p95Ms).floatField('max_ms', l.maxMs).floatField('avg_ms', l.avgMs).timestamp(ts(d.ts)).toLineProtocol());
  }
  for (const s of d.probes) {
    lines.push(base('pacs_probe_state').tag('probe', s.probe).intField('last_ok', s.lastOk ? 1 : 0).intField('consecutive_failures', s.consecutiveFailures)
      .intField('attempts', s.attempts).timestamp(ts(d.ts)).toLineProtocol());
  }
  return lines.filter((l): l is string => typeof l === 'string');
}
