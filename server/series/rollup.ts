// Hourly rollups, so long ranges are read from one row per scanner-hour instead of every raw sample. A
// continuous query keeps sum/count/min/max per field per hour in the "rollup_1h" retention policy (kept for
// influx.rollup1hDays, much longer than raw). sum and count (not mean) are stored so any bucket made of
// whole hours, or of hours plus raw edges, gets its exact mean.
import type { Logger } from '../lib/logger.js';
import { influxIdent, type InfluxStore } from '../storage/influx.js';

// Names match feat/ingest's server/telemetry/rollups.ts (rollup_1h / telemetry / cq_telemetry_1h), so one of
// the two creators can be dropped at merge without touching the reader.
export const ROLLUP_RP = 'rollup_1h';
export const ROLLUP_MEASUREMENT = 'telemetry';
export const ROLLUP_CQ = 'cq_telemetry_1h';
export const HOUR_MS = 3_600_000;
const BACKFILL_CHUNK_MS = 24 * HOUR_MS;

function selectInto(db: string, rawRp: string): string {
  return `SELECT sum(*), count(*), min(*), max(*) INTO ${influxIdent(db)}.${influxIdent(ROLLUP_RP)}.${influxIdent(ROLLUP_MEASUREMENT)}`
    + ` FROM ${influxIdent(db)}.${influxIdent(rawRp)}."telemetry"`;
}

/** Recomputes the rollup for [from, to) (hour-aligned outward). For data written late, e.g. a spool replayed
 *  after an outage longer than the continuous query's 3-hour look-back. */
export async function backfillRollup(influx: InfluxStore, from: number, to: number): Promise<void> {
  const { database, retentionPolicy } = influx.settings;
  const f = Math.floor(from / HOUR_MS) * HOUR_MS, t = Math.ceil(to / HOUR_MS) * HOUR_MS;
  // One day per request keeps each statement well inside the HTTP client's request timeout.
  for (let a = f; a < t; a += BACKFILL_CHUNK_MS) {
    const b = Math.min(t, a + BACKFILL_CHUNK_MS);
    await influx.query(`${selectInto(database, retentionPolicy)} WHERE time >= ${a}ms AND time < ${b}ms GROUP BY time(1h), *`);
  }
}

/** Creates the retention policy and continuous query (idempotent). Returns true when the query is new, so the
 *  caller can backfill the raw data that predates it. */
export async function ensureRollup(influx: InfluxStore, retentionDays: number): Promise<boolean> {
  const { database, retentionPolicy } = influx.settings;
  const db = influxIdent(database);
  const rps = await influx.query(`SHOW RETENTION POLICIES ON ${db}`, '');
  const hasRp = (rps[0]?.[0]?.values ?? []).some((row) => row[0] === ROLLUP_RP) ?? false;
  await influx.query(`${hasRp ? 'ALTER' : 'CREATE'} RETENTION POLICY ${influxIdent(ROLLUP_RP)} ON ${db} DURATION ${retentionDays}d REPLICATION 1`, '');
  const cqs = await influx.query('SHOW CONTINUOUS QUERIES', '');
  const hasCq = (cqs[0] ?? []).some((s) => s.name === database && (s.values ?? []).some((row) => row[0] === ROLLUP_CQ));
  if (hasCq) return false;
  await influx.query(`CREATE CONTINUOUS QUERY ${influxIdent(ROLLUP_CQ)} ON ${db} RESAMPLE EVERY 15m FOR 3h BEGIN ${selectInto(database, retentionPolicy)} GROUP BY time(1h), * END`, '');
  return true;
}

/** Sets up rollups when enabled; the first time, backfills the raw data already there in the background.
 *  Returns whether series queries may read the rollup. */
export async function startRollup(influx: InfluxStore, opts: { retentionDays: number; rawRetentionDays: number }, log: Logger): Promise<boolean> {
  if (opts.retentionDays <= 0) return false;
  let created: boolean;
  try {
    created = await ensureRollup(influx, opts.retentionDays);
  } catch (err) {
    // InfluxDB 2.x/3.x v1-compatible APIs have no continuous queries: series then read raw data only.
    log.warn({ err }, 'hourly rollup unavailable on this InfluxDB; long-range series read raw data');
    return false;
  }
  if (created) {
    const now = Date.now();
    backfillRollup(influx, now - opts.rawRetentionDays * 86_400_000, now).then(
      () => log.info('hourly rollup backfilled from raw data'),
      (err: unknown) => log.error({ err }, 'hourly rollup backfill failed'),
    );
  }
  return true;
}
