// Builds the managers' analytics (downtime report, what-if twin) over InfluxDB from the config, so the
// composition root needs one line: status history from InfluxDB, no-data episodes from the stored alert
// events, planned maintenance from the alert engine's window definitions.
import type { Config } from '../config/schema.js';
import type { InfluxStore } from '../storage/influx.js';
import { InfluxExamSource } from '../whatif/influx-exam-source.js';
import { WhatIfService } from '../whatif/service.js';
import type { MaintenanceWindow } from '../../contracts/alert-silences.js';
import { maintenanceWindows, noDataWindows } from './alert-windows.js';
import { InfluxStatusSource } from './influx-status-source.js';
import { DowntimeService, type DowntimeDeps } from './service.js';

export interface Analytics { downtime: DowntimeService; whatif: WhatIfService }

export interface AnalyticsDeps extends Pick<DowntimeDeps, 'vendorOf' | 'now'> {
  /** The alert engine's current maintenance window definitions. */
  windows?: () => Iterable<MaintenanceWindow>;
}

export function createAnalytics(config: Readonly<Config>, influx: InfluxStore, extra: AnalyticsDeps = {}): Analytics {
  const query = influx.query.bind(influx);
  const d = config.downtime;
  const lookbackMs = d.lookbackDays * 86_400_000;
  const { windows, ...rest } = extra;
  const downtime = new DowntimeService(
    {
      status: new InfluxStatusSource(query, lookbackMs, d.statusRetentionPolicy), ...rest,
      noData: noDataWindows(query, lookbackMs),
      ...(windows ? { maintenance: maintenanceWindows(windows) } : {}),
    },
    { costPerHourUsd: d.costPerHourUsd, defaultRangeDays: d.defaultRangeDays, maxRangeDays: d.maxRangeDays, staleAfterMs: d.staleAfterHours * 3_600_000 },
  );
  const whatif = new WhatIfService({ downtime, exams: new InfluxExamSource(query), ...(extra.now ? { now: extra.now } : {}) }, config.whatif);
  return { downtime, whatif };
}
