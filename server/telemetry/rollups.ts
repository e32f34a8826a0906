// Downsampled rollups for long time ranges, on InfluxDB 1.x continuous queries: retention policies
// rollup_1m and rollup_1h hold sum / count / min / max of every telemetry field per scanner (fields named
// sum_<metric>, count_<metric>, min_<metric>, max_<metric>: sum and count so the series reader can merge
// whole rollup buckets with raw edges and keep means exact; server/series/rollup.ts reads them), the same for
// anomaly scores, the worst state per interval and event counts per type.
// CQs only see new data; rollupRange() fills rollups for a backfilled or imported time range, and
// late-rollups.ts calls it for late data as the drain writes it.
import { influxIdent, type InfluxStore } from '../storage/influx.js';
import { ANOMALY_MEASUREMENT, EVENT_MEASUREMENT, STATUS_MEASUREMENT, TELEMETRY_MEASUREMENT } from './line-protocol.js';
import { DAY, HOUR } from '../../contracts/units.js';

export interface RollupSettings { database: string; rawRetentionPolicy: string; rollup1mDays: number; rollup1hDays: number }

interface Level { rp: string; every: string; resample: string; days: (s: RollupSettings) => number }
export const ROLLUP_LEVELS: readonly Level[] = [
  { rp: 'rollup_1m', every: '1m', resample: 'RESAMPLE EVERY 1m FOR 5m', days: (s) => s.rollup1mDays },
  { rp: 'rollup_1h', every: '1h', resample: 'RESAMPLE EVERY 10m FOR 2h', days: (s) => s.rollup1hDays },
];

function selects(s: RollupSettings, level: Level, where = ''): { name: string; select: string }[] {
  const db = influxIdent(s.database);
  const src = (m: string) => `${db}.${influxIdent(s.rawRetentionPolicy)}.${influxIdent(m)}`;
  const dst = (m: string) => `${db}.${influxIdent(level.rp)}.${influxIdent(m)}`;
  const group = `GROUP BY time(${level.every}), *`;
  return [
    { name: `cq_telemetry_${level.every}`, select: `SELECT sum(*), count(*), min(*), max(*) INTO ${dst(TELEMETRY_MEASUREMENT)} FROM ${src(TELEMETRY_MEASUREMENT)}${where} ${group}` },
    { name: `cq_status_${level.every}`, select: `SELECT max("state_code") AS "state_code_max" INTO ${dst(STATUS_MEASUREMENT)} FROM ${src(STATUS_MEASUREMENT)}${where} ${group}` },
    { name: `cq_event_${level.every}`, select: `SELECT count("code") AS "count" INTO ${dst(EVENT_MEASUREMENT)} FROM ${src(EVENT_MEASUREMENT)}${where} ${group}` },
    // Anomaly scores arrive once per reading like telemetry: the scanner page's month and year ranges read these.
    { name: `cq_anomaly_${level.every}`, select: `SELECT sum(*), count(*), min(*), max(*) INTO ${dst(ANOMALY_MEASUREMENT)} FROM ${src(ANOMALY_MEASUREMENT)}${where} ${group}` },
  ];
}

/**
 * Creates or updates the rollup retention policies and creates missing continuous queries (idempotent).
 * Returns how many continuous queries it created (0 when all were there).
 */
export async function ensureRollups(influx: InfluxStore, s: RollupSettings): Promise<number> {
  let created = 0;
  const db = influxIdent(s.database);
  const rps = new Set((await influx.query(`SHOW RETENTION POLICIES ON ${db}`, ''))[0]?.[0]?.values.map((r) => String(r[0])) ?? []);
  const cqs = new Set((await influx.query('SHOW CONTINUOUS QUERIES', ''))[0]
    ?.filter((series) => series.name === s.database).flatMap((series) => (series.values ?? []).map((r) => String(r[0]))) ?? []);
  for (const level of ROLLUP_LEVELS) {
    await influx.query(`${rps.has(level.rp) ? 'ALTER' : 'CREATE'} RETENTION POLICY ${influxIdent(level.rp)} ON ${db} DURATION ${level.days(s)}d REPLICATION 1`, '');
    for (const q of selects(s, level)) {
      if (cqs.has(q.name)) continue;
      await influx.query(`CREATE CONTINUOUS QUERY ${influxIdent(q.name)} ON ${db} ${level.resample} BEGIN ${q.select} END`, '');
      created += 1;
    }
  }
  return created;
}


/**
 * Computes the rollups of [fromMs, toMs) now, widened to whole hours, e.g. after a backfill (CQs only cover
 * recent intervals). One day per statement keeps each well inside the HTTP client's request timeout.
 */
export async function rollupRange(influx: InfluxStore, s: RollupSettings, fromMs: number, toMs: number, now = Date.now()): Promise<void> {
  const start = Math.floor(fromMs / HOUR) * HOUR;
  const end = Math.ceil(toMs / HOUR) * HOUR;
  for (const level of ROLLUP_LEVELS) {
    // Each level only as far back as it is kept: InfluxDB refuses points older than a policy's duration.
    const oldest = Math.ceil((now - level.days(s) * DAY) / HOUR) * HOUR + HOUR;
    for (let a = Math.max(start, oldest); a < end; a += DAY) {
      const where = ` WHERE time >= ${a}ms AND time < ${Math.min(end, a + DAY)}ms`;
      for (const q of selects(s, level, where)) await influx.query(q.select, '');
    }
  }
}
