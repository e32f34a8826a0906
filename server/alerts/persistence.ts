// Alert state in InfluxDB. Every change is a point of measurement alert_event carrying the whole alert as
// JSON; silences and maintenance windows are alert_admin points; deliveries alert_delivery. On start the
// engine rebuilds from the last point of each alert, so a restart neither forgets nor re-notifies.
//
// Written directly through the client's WriteApi (its own retries with back-off, flushed on stop) rather
// than the telemetry spool: alert events are few, the spool's line format and cursor belong to telemetry,
// and a point that is still being retried is also kept in memory, so only a crash during an InfluxDB
// outage can lose the latest changes (the engine then re-derives firing alerts from live data).
import { Point, type WriteApi } from '@influxdata/influxdb-client';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Alert, DeliveryRecord } from '../../contracts/alerts.js';
import { MaintenanceWindow, Silence } from '../../contracts/alert-silences.js';
import type { InfluxStore } from '../storage/influx.js';
import type { Logger } from '../../lib/logger.js';

export interface Rebuilt { alerts: Alert[]; silences: Silence[]; windows: MaintenanceWindow[]; deliveries: DeliveryRecord[] }

export class AlertStore {
  private readonly writer: WriteApi;
  private lastTs = 0;

  constructor(private readonly influx: InfluxStore, private readonly log: Logger) {
    this.writer = influx.writeApi({ batchSize: 1000, flushInterval: 200, maxRetries: 10, minRetryDelay: 200, maxRetryDelay: 5000, maxBufferLines: 100_000 });
  }

  /** Strictly increasing ms timestamps, so the order of changes within a millisecond is kept. */
  private ts(): number {
    this.lastTs = Math.max(Date.now(), this.lastTs + 1);
    return this.lastTs;
  }

  alertChanged(a: Alert, reason: string): void {
    this.writer.writePoint(new Point('alert_event')
      .tag('alert_id', a.id).tag('rule_id', a.ruleId).tag('site', a.site).tag('scanner_id', a.scannerId)
      .tag('state', a.state).tag('event', reason)
      .stringField('severity', a.severity).floatField('value', a.value).stringField('json', JSON.stringify(a))
      .timestamp(this.ts()));
  }

  delivery(d: DeliveryRecord): void {
    this.writer.writePoint(new Point('alert_delivery')
      .tag('route', d.routeId).tag('channel', d.channelId).tag('ok', String(d.ok))
      .intField('attempt', d.attempt).stringField('json', JSON.stringify(d)).timestamp(this.ts()));
  }

  adminChanged(kind: 'silence' | 'maintenance', id: string, item: Silence | MaintenanceWindow | undefined): void {
    this.writer.writePoint(new Point('alert_admin').tag('kind', kind).tag('item_id', id)
      .stringField('json', item ? JSON.stringify(item) : 'deleted').timestamp(this.ts()));
  }

  async rebuild(): Promise<Rebuilt> {
    const out: Rebuilt = { alerts: [], silences: [], windows: [], deliveries: [] };
    const [events = [], admin = [], deliveries = []] = await this.influx.query([
      'SELECT last("json") AS "json" FROM "alert_event" GROUP BY "alert_id"',
      'SELECT last("json") AS "json" FROM "alert_admin" GROUP BY "kind", "item_id"',
      'SELECT "json" FROM "alert_delivery" ORDER BY time DESC LIMIT 5000',
    ].join('; '));
    for (const s of events) {
      const a = this.parse(s.values[0]?.[1], Alert);
      if (a) out.alerts.push(a);
    }
    for (const s of admin) {
      const raw = s.values[0]?.[1];
      if (raw === 'deleted') continue;
      if (s.tags?.kind === 'silence') { const x = this.parse(raw, Silence); if (x) out.silences.push(x); }
      else { const x = this.parse(raw, MaintenanceWindow); if (x) out.windows.push(x); }
    }
    for (const row of deliveries[0]?.values ?? []) {
      const d = this.parse(row[1], DeliveryRecord);
      if (d) out.deliveries.unshift(d);
    }
    return out;
  }

  async flush(): Promise<void> {
    await this.writer.flush();
  }

  async close(): Promise<void> {
    try { await this.writer.close(); } catch (err) { this.log.error({ err }, 'alert events not written before stop'); }
  }

  private parse<T extends TSchema>(raw: unknown, schema: T): Static<T> | undefined {
    if (typeof raw !== 'string') return undefined;
    try {
      const v: unknown = JSON.parse(raw);
      if (Value.Check(schema, v)) return v;
    } catch { /* fall through */ }
    this.log.warn('unreadable stored alert record skipped');
    return undefined;
  }
}
