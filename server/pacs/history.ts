// After a restart the growth fit would start from nothing and days-to-full would stay empty for a while;
// instead the tier samples of the growth window are read back from InfluxDB (where the spool put them).
import type { QuerySeries } from '../storage/influx.js';
import type { PacsIntake } from './pipeline.js';

export type InfluxQuery = (q: string) => Promise<QuerySeries[][]>;

/** Feeds the stored pacs_storage samples of the last `hours` into the signals; returns how many. */
export async function seedTierHistory(query: InfluxQuery, record: (s: Parameters<PacsIntake['storage']>[0]) => void, hours: number): Promise<number> {
  const res = await query(`SELECT "used_bytes", "capacity_bytes" FROM "pacs_storage" WHERE time > now() - ${Math.ceil(hours * 60)}m GROUP BY "pacs", "site", "tier", "source"`);
  let n = 0;
  for (const series of res[0] ?? []) {
    const t = series.tags ?? {};
    if (!t.pacs || !t.site || !t.tier) continue;
    const source = t.source === 'statfs' || t.source === 'folder' || t.source === 'orthanc' || t.source === 'mqtt' ? t.source : 'mqtt';
    for (const [time, used, cap] of series.values) {
      if (typeof time !== 'number' || typeof used !== 'number') continue;
      record({ pacsId: t.pacs, site: t.site, tier: t.tier, source, ts: time, usedBytes: used, ...(typeof cap === 'number' ? { capacityBytes: cap } : {}) });
      n += 1;
    }
  }
  return n;
}
