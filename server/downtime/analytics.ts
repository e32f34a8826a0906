// Builds the managers' analytics (downtime report, what-if twin) over InfluxDB from the config, so the
// composition root needs one line. Maintenance windows and no-data intervals plug in here once the alert
// engine provides them (see WindowSource).
import type { Config } from '../config/schema.js';
import type { InfluxStore } from '../storage/influx.js';
import { InfluxExamSource } from '../whatif/influx-exam-source.js';
import { WhatIfService } from '../whatif/service.js';
import { InfluxStatusSource } from './influx-status-source.js';
import { DowntimeService, type DowntimeDeps } from './service.js';

export interface Analytics { downtime: DowntimeService; whatif: WhatIfService }

export function createAnalytics(config: Readonly<Config>, influx: InfluxStore, extra: Omit<DowntimeDeps, 'status'> = {}): Analytics {
  const query = influx.query.bind(influx);
  const d = config.downtime;
  const downtime = new DowntimeService(
    { status: new InfluxStatusSource(query, d.lookbackDays * 86_400_000, d.statusRetentionPolicy), ...extra },
    { costPerHourUsd: d.costPerHourUsd, defaultRangeDays: d.defaultRangeDays, maxRangeDays: d.maxRangeDays, staleAfterMs: d.staleAfterHours * 3_600_000 },
  );
  const whatif = new WhatIfService({ downtime, exams: new InfluxExamSource(query), ...(extra.now ? { now: extra.now } : {}) }, config.whatif);
  return { downtime, whatif };
}
