// Data model of scanner data in InfluxDB (docs/data-model.md). Tags are identifiers only (site, modality,
// scanner, plus whatever a fleet registry adds such as vendor / model); every value is a field. Timestamps
// are milliseconds, and the same series + timestamp is the same point, which is what makes replays and MQTT
// redeliveries idempotent.
import { Point } from '@influxdata/influxdb-client';
import type { ScannerEvent, StatusChange, TelemetryReading } from '../../contracts/index.js';

export const TELEMETRY_MEASUREMENT = 'telemetry';
export const STATUS_MEASUREMENT = 'scanner_status';
export const EVENT_MEASUREMENT = 'scanner_event';

/** Numeric code of each state, so dashboards can plot state over time and rollups can take max(). */
export const STATE_CODE: Record<StatusChange['state'], number> = { up: 0, maintenance: 1, degraded: 2, down: 3 };

interface Identity { site: string; modality: string; scannerId: string }

/**
 * Extra tags per scanner (vendor, model) from a fleet registry. Must return a bounded set of values per
 * scanner and must be stable: changing a scanner's tags creates a new series, and replays then duplicate.
 */
export type TagEnricher = (scanner: Identity) => Readonly<Record<string, string>>;
export const noExtraTags: TagEnricher = () => ({});

function base(measurement: string, r: Identity, enrich: TagEnricher): Point {
  const p = new Point(measurement).tag('site', r.site).tag('modality', r.modality).tag('scanner', r.scannerId);
  for (const [k, v] of Object.entries(enrich(r))) p.tag(k, v);
  return p;
}

export function readingToLine(r: TelemetryReading, enrich: TagEnricher = noExtraTags): string {
  const p = base(TELEMETRY_MEASUREMENT, r, enrich);
  for (const [name, value] of Object.entries(r.metrics)) p.floatField(name, value);
  return p.timestamp(String(Math.round(r.ts))).toLineProtocol() as string;
}

export function statusToLine(s: StatusChange, enrich: TagEnricher = noExtraTags): string {
  const p = base(STATUS_MEASUREMENT, s, enrich).stringField('state', s.state).intField('state_code', STATE_CODE[s.state]).stringField('reason', s.reason ?? '');
  return p.timestamp(String(s.ts)).toLineProtocol() as string;
}

export function eventToLine(e: ScannerEvent, enrich: TagEnricher = noExtraTags): string {
  // type is a tag: it has five values, and exam_start / exam_end at the same millisecond must not overwrite.
  const p = base(EVENT_MEASUREMENT, e, enrich).tag('type', e.type)
    .stringField('code', e.code ?? '').stringField('exam_type', e.examType ?? '').stringField('detail', e.detail ?? '');
  return p.timestamp(String(e.ts)).toLineProtocol() as string;
}
