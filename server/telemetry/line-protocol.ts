// Data model of scanner data in InfluxDB (docs/data-model.md). Tags are identifiers only (site, modality,
// scanner, plus whatever a fleet registry adds such as vendor / model); every value is a field. Timestamps
// are milliseconds, and the same series + timestamp is the same point, which is what makes replays and MQTT
// redeliveries idempotent.
import type { ScannerEvent, StatusChange, TelemetryReading } from '../../contracts/index.js';
import type { AnomalyScore, Prediction } from '../../contracts/alert-signals.js';

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

// Line protocol is built by hand: the client's Point class costs ~4 µs per field, which on the ingest hot
// path was more than parsing the MQTT message. Escaping follows the InfluxDB line protocol reference.
const NEEDS_ESCAPE = /[,= \n\r\t]/;
const CONTROL: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeKey = (v: string): string => (NEEDS_ESCAPE.test(v) ? v.replace(/[,= \n\r\t]/g, (c) => CONTROL[c] ?? `\\${c}`) : v);
const quote = (v: string): string => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

function head(measurement: string, r: Identity, enrich: TagEnricher, extra: [string, string][] = []): string {
  const tags: [string, string][] = [['modality', r.modality], ['scanner', r.scannerId], ['site', r.site], ...extra];
  for (const [k, v] of Object.entries(enrich(r))) if (v !== '') tags.push([k, v]);
  // Sorted tag keys are what InfluxDB stores anyway; sending them sorted saves it the work.
  if (tags.length > 3) tags.sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return `${measurement}${tags.map(([k, v]) => `,${escapeKey(k)}=${escapeKey(v)}`).join('')}`;
}

function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`line protocol: ${v} is not a finite number`);
  return String(v);
}

// Escaped field keys by metric name: the same few dozen names on every line. Bounded, in case a caller
// passes names that are not from the catalog.
const FIELD_KEYS = new Map<string, string>();
function fieldKey(name: string): string {
  let key = FIELD_KEYS.get(name);
  if (key === undefined) {
    key = escapeKey(name);
    if (FIELD_KEYS.size < 4096) FIELD_KEYS.set(name, key);
  }
  return key;
}

function fields(metrics: TelemetryReading['metrics']): string {
  let out = '';
  for (const name in metrics) out += `${out ? ',' : ''}${fieldKey(name)}=${num(metrics[name] as number)}`;
  return out;
}

export function readingToLine(r: TelemetryReading, enrich: TagEnricher = noExtraTags): string {
  return `${head(TELEMETRY_MEASUREMENT, r, enrich)} ${fields(r.metrics)} ${Math.round(r.ts)}`;
}

/** Readings as line protocol text, every line ending in a newline, ready for the spool. */
export function readingsToText(readings: readonly TelemetryReading[], enrich: TagEnricher = noExtraTags): string {
  let out = '';
  for (const r of readings) out += `${readingToLine(r, enrich)}\n`;
  return out;
}

export function statusToLine(s: StatusChange, enrich: TagEnricher = noExtraTags): string {
  return `${head(STATUS_MEASUREMENT, s, enrich)} reason=${quote(s.reason ?? '')},state=${quote(s.state)},state_code=${STATE_CODE[s.state]}i ${Math.round(s.ts)}`;
}

export function eventToLine(e: ScannerEvent, enrich: TagEnricher = noExtraTags): string {
  // type is a tag: it has five values, and exam_start / exam_end at the same millisecond must not overwrite.
  const fields = `code=${quote(e.code ?? '')},detail=${quote(e.detail ?? '')},exam_type=${quote(e.examType ?? '')}`;
  return `${head(EVENT_MEASUREMENT, e, enrich, [['type', e.type]])} ${fields} ${Math.round(e.ts)}`;
}

export const ANOMALY_MEASUREMENT = 'anomaly_score';
export const PREDICTION_MEASUREMENT = 'prediction';

/** Live model output: one point per scored reading (docs/data-model.md). */
export function anomalyToLine(a: AnomalyScore): string {
  const rate = a.anomalyRate !== undefined ? `,anomaly_rate=${num(a.anomalyRate)}` : '';
  return `${head(ANOMALY_MEASUREMENT, a, noExtraTags)} anomalous=${a.score >= a.threshold ? 1 : 0}i${rate},score=${num(a.score)},threshold=${num(a.threshold)} ${Math.round(a.ts)}`;
}

/** A time-to-threshold forecast; eta_ms is absent when the metric is no longer trending to its limit. */
export function predictionToLine(p: Prediction): string {
  const fields = [
    ...(p.etaMs !== null ? [`eta_ms=${num(p.etaMs)}`] : []),
    ...(p.high !== undefined ? [`high_ms=${num(p.high)}`] : []),
    ...(p.low !== undefined ? [`low_ms=${num(p.low)}`] : []),
    `trending=${p.etaMs !== null ? 1 : 0}i`,
  ];
  return `${head(PREDICTION_MEASUREMENT, p, noExtraTags, [['metric', p.metric]])} ${fields.join(',')} ${Math.round(p.ts)}`;
}
