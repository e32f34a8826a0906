// Status history from InfluxDB. Assumed schema (docs/downtime.md, "Stored status"):
//   measurement scanner_status, tags site, modality, scanner (and optionally vendor),
//   fields state (string: up | degraded | down | maintenance) and reason (string, optional),
//   timestamp = the time the scanner gave in its status message (event time, not arrival time).
// A point rewritten with the same time and tags replaces the old one, so a re-sent message is harmless.
import { MODALITIES, type Modality } from '../../contracts/common.js';
import type { ReportedState } from '../../contracts/downtime.js';
import { influxIdent, influxString, type InfluxStore, type QuerySeries } from '../storage/influx.js';
import type { ScannerStatusHistory, Scope, StatusHistorySource } from './sources.js';
import type { StatusRecord } from './timeline.js';

export const STATUS_MEASUREMENT = 'scanner_status';
const STATES: readonly string[] = ['up', 'degraded', 'down', 'maintenance'];

type Query = InfluxStore['query'];

function where(scope: Scope): string {
  const parts: string[] = [];
  if (scope.site) parts.push(`"site" = ${influxString(scope.site)}`);
  if (scope.modality) parts.push(`"modality" = ${influxString(scope.modality)}`);
  if (scope.scannerId) parts.push(`"scanner" = ${influxString(scope.scannerId)}`);
  return parts.map((p) => ` AND ${p}`).join('');
}

function column(series: QuerySeries, name: string): number {
  return series.columns.indexOf(name);
}

export class InfluxStatusSource implements StatusHistorySource {
  private readonly from: string;

  /**
   * @param lookbackMs how far before `from` to look for the status in force at `from`.
   * @param retentionPolicy where status is kept, if not the database's default policy (status history is
   *   small and a year of it is what trends need, so it may live in a longer policy than raw telemetry).
   */
  constructor(private readonly query: Query, private readonly lookbackMs: number, retentionPolicy = '') {
    this.from = retentionPolicy ? `${influxIdent(retentionPolicy)}.${STATUS_MEASUREMENT}` : STATUS_MEASUREMENT;
  }

  async statusHistory(scope: Scope): Promise<ScannerStatusHistory[]> {
    const filter = where(scope);
    const inRange = `SELECT "state", "reason" FROM ${this.from} WHERE time >= ${scope.from}ms AND time < ${scope.to}ms${filter} GROUP BY *`;
    // last() is a selector, so "reason" comes from the same point as the state.
    const before = `SELECT last("state") AS "state", "reason" FROM ${this.from} WHERE time >= ${scope.from - this.lookbackMs}ms AND time < ${scope.from}ms${filter} GROUP BY *`;
    const [rangeSeries = [], beforeSeries = []] = await this.query(`${inRange}; ${before}`);
    const byScanner = new Map<string, ScannerStatusHistory>();
    for (const series of [...rangeSeries, ...beforeSeries]) {
      const tags = series.tags ?? {};
      const scannerId = tags.scanner;
      const modality = tags.modality as Modality | undefined;
      if (!scannerId || !tags.site || !modality || !MODALITIES.includes(modality)) continue;
      let h = byScanner.get(scannerId);
      if (!h) {
        h = { scannerId, site: tags.site, modality, records: [], ...(tags.vendor ? { vendor: tags.vendor } : {}) };
        byScanner.set(scannerId, h);
      }
      const ti = column(series, 'time');
      const si = column(series, 'state');
      const ri = column(series, 'reason');
      for (const row of series.values) {
        const ts = Number(row[ti]);
        const state = row[si];
        if (!Number.isFinite(ts) || typeof state !== 'string' || !STATES.includes(state)) continue;
        const reason = ri >= 0 && typeof row[ri] === 'string' && row[ri] !== '' ? { reason: row[ri] as string } : {};
        h.records.push({ ts, state: state as ReportedState, ...reason } satisfies StatusRecord);
      }
    }
    return [...byScanner.values()].sort((a, b) => a.scannerId.localeCompare(b.scannerId));
  }
}
