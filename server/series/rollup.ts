// Where the series reader finds downsampled data for long ranges: the hourly rollup ("rollup_1h"), kept for
// influx.rollup1hDays, much longer than raw. It holds sum/count/min/max per field per hour (not the mean), so
// any bucket made of whole hours, or of hours plus raw edges, gets its exact mean. The continuous queries that
// fill it, and the recomputation for late data, live with ingestion (server/telemetry/rollups.ts).
import type { Logger } from '../../lib/logger.js';
import type { InfluxStore } from '../storage/influx.js';
import { ensureRollups, rollupRange, type RollupSettings } from '../telemetry/rollups.js';

export const ROLLUP_RP = 'rollup_1h';
export const ROLLUP_MEASUREMENT = 'telemetry';

/** Sets up the rollups when enabled; when its continuous queries are new (first start on existing data),
 *  rolls up the raw data already there in the background. Returns whether series queries may read them. */
export async function startRollup(influx: InfluxStore, settings: RollupSettings & { enabled: boolean; rawRetentionDays: number }, log: Logger): Promise<boolean> {
  if (!settings.enabled) return false;
  let created: number;
  try {
    created = await ensureRollups(influx, settings);
  } catch (err) {
    // InfluxDB 2.x/3.x v1-compatible APIs have no continuous queries: series then read raw data only.
    log.warn({ err }, 'rollups unavailable on this InfluxDB; long-range series read raw data');
    return false;
  }
  if (created > 0) {
    const now = Date.now();
    rollupRange(influx, settings, now - settings.rawRetentionDays * 86_400_000, now).then(
      () => log.info('rollups backfilled from raw data'),
      (err: unknown) => log.error({ err }, 'rollup backfill failed'),
    );
  }
  return true;
}
