// Turns one MQTT message into accepted items or exactly one reject reason. Pure: no I/O, so every
// rejection rule is unit-testable and the collector stays a thin adapter. It never throws: whatever a
// device sends ends as accept or reject (an unexpected exception becomes the reject `parse_error`), because
// a throw would withhold the PUBACK and make the broker redeliver the same message forever.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema, TUnion } from '@sinclair/typebox';
import type { ValueError } from '@sinclair/typebox/errors';
import {
  EventPayload, StatusPayload, TelemetryPayload, parseScannerTopic,
  type AcceptedMessage, type EventSample, type RejectReason, type ScannerTopic, type StatusSample, type TelemetryReading, type TelemetrySample, type Timestamp,
} from '../../contracts/index.js';
import { metricsFor, type MetricDefinition } from '../../contracts/metric-catalog.js';
import { scrubPatientText } from '../../lib/patient-text.js';
import { explainErrors } from './schema-errors.js';

// Metric definitions per modality by name: looked up for every field of every sample, so a list scan would cost.
const KNOWN = new Map<string, ReadonlyMap<string, MetricDefinition>>();
const known = (modality: ScannerTopic['modality']): ReadonlyMap<string, MetricDefinition> => {
  let map = KNOWN.get(modality);
  if (!map) { map = new Map(metricsFor(modality).map((m) => [m.name, m])); KNOWN.set(modality, map); }
  return map;
};

export interface ParseLimits {
  maxPayloadBytes: number;
  maxSamplesPerMessage: number;
  maxFutureSkewMs: number;
  /** Oldest accepted sample age; older ones would fall outside the raw retention. Undefined: no limit. */
  maxPastAgeMs?: number;
}

type Rejected = { ok: false; reason: RejectReason; detail: string };
export type ParseResult = { ok: true; readings: TelemetryReading[] } | Rejected;
export type MessageResult = ({ ok: true } & AcceptedMessage) | Rejected;

const reject = (reason: RejectReason, detail: string): Rejected => ({ ok: false, reason, detail });

function toMs(ts: Timestamp): number {
  // Numbers below 1e11 are epoch seconds (a common gateway choice); larger ones are milliseconds.
  return typeof ts === 'number' ? (ts < 1e11 ? ts * 1000 : ts) : Date.parse(ts);
}

/** ISO text of a time, or the raw number when it is beyond what Date can represent (year 275760). */
const when = (ms: number): string => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`);

interface Checker { Check(v: unknown): boolean; Errors(v: unknown): Iterable<ValueError> }

/** A payload is one item or a batch `{key: [items]}`; the two variants of the contract's union, compiled. */
interface Variants { single: Checker; batch: Checker; key: string }
function variants(union: TUnion, key: string): Variants {
  const [single, batch] = union.anyOf as [TSchema, TSchema];
  return { single: TypeCompiler.Compile(single), batch: TypeCompiler.Compile(batch), key };
}

function decode(payload: Buffer, v: Variants, limits: ParseLimits): { body: object } | Rejected {
  if (payload.length > limits.maxPayloadBytes) return reject('oversize', `payload is ${payload.length} bytes, limit ${limits.maxPayloadBytes}`);
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    // V8 quotes the start of the text in its message; that is device data, so keep only the position.
    return reject('malformed_json', (err as Error).message.replace(/"[^]*?"(\.\.\.)?/g, '…'));
  }
  // Pick the variant by shape, so the error names the field inside it rather than "Expected union value".
  const check = typeof body === 'object' && body !== null && !Array.isArray(body) && v.key in body ? v.batch : v.single;
  if (!check.Check(body)) return reject('schema', explainErrors(check.Errors(body)));
  return { body: body as object };
}

function checkTime(raw: Timestamp, limits: ParseLimits, now: number): number | Rejected {
  const ts = toMs(raw);
  if (!Number.isFinite(ts)) return reject('schema', `timestamp ${JSON.stringify(raw)} is not a date`);
  if (ts > now + limits.maxFutureSkewMs) return reject('future_timestamp', `timestamp ${when(ts)} is more than ${limits.maxFutureSkewMs / 1000} s ahead`);
  if (limits.maxPastAgeMs !== undefined && ts < now - limits.maxPastAgeMs) {
    return reject('stale_timestamp', `timestamp ${when(ts)} is older than the ${Math.round(limits.maxPastAgeMs / 86400000)}-day retention`);
  }
  return Math.round(ts);
}

function items<T>(body: object, key: string, limits: ParseLimits): T[] | Rejected {
  const list = (key in body ? (body as Record<string, unknown>)[key] : [body]) as T[];
  if (list.length > limits.maxSamplesPerMessage) return reject('too_many_samples', `${list.length} items, limit ${limits.maxSamplesPerMessage}`);
  return list;
}

const isRejected = (v: unknown): v is Rejected => typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === false;

/** Unknown metric, non-finite or outside the catalog's plausible range: the reject for one value, if any. */
function checkValue(t: ScannerTopic, name: string, value: number): Rejected | undefined {
  const def = known(t.modality).get(name);
  if (!def) return reject('unknown_metric', `${scrubPatientText(name).text} is not a ${t.modality} metric in the catalog`);
  if (!Number.isFinite(value)) return reject('schema', `/metrics/${name}: expected a finite number`);
  const [lo, hi] = def.plausible;
  if (value < lo || value > hi) return reject('implausible_value', `${name} = ${value} ${def.unit} is outside the plausible range [${lo}, ${hi}]`);
  return undefined;
}

function telemetry(t: ScannerTopic, body: object, limits: ParseLimits, now: number): MessageResult {
  const samples = items<TelemetrySample>(body, 'samples', limits);
  if (isRejected(samples)) return samples;
  const readings: TelemetryReading[] = [];
  for (const s of samples) {
    const ts = checkTime(s.ts, limits, now);
    if (isRejected(ts)) return ts;
    for (const name of Object.keys(s.metrics)) {
      const bad = checkValue(t, name, s.metrics[name] as number);
      if (bad) return bad;
    }
    readings.push({ site: t.site, modality: t.modality, scannerId: t.scannerId, ts, metrics: s.metrics });
  }
  return { ok: true, channel: 'telemetry', readings };
}

/** Free text is stored, so anything that looks like a patient identifier is replaced before it is. */
const scrub = (text: string | undefined): string | undefined => (text ? scrubPatientText(text).text : undefined);

function status(t: ScannerTopic, body: object, limits: ParseLimits, now: number): MessageResult {
  const list = items<StatusSample>(body, 'statuses', limits);
  if (isRejected(list)) return list;
  const statuses = [];
  for (const s of list) {
    const ts = checkTime(s.ts, limits, now);
    if (isRejected(ts)) return ts;
    const reason = scrub(s.reason);
    statuses.push({ site: t.site, modality: t.modality, scannerId: t.scannerId, ts, state: s.state, ...(reason ? { reason } : {}) });
  }
  return { ok: true, channel: 'status', statuses };
}

function events(t: ScannerTopic, body: object, limits: ParseLimits, now: number): MessageResult {
  const list = items<EventSample>(body, 'events', limits);
  if (isRejected(list)) return list;
  const out = [];
  for (const e of list) {
    const ts = checkTime(e.ts, limits, now);
    if (isRejected(ts)) return ts;
    const detail = scrub(e.detail);
    out.push({ site: t.site, modality: t.modality, scannerId: t.scannerId, ...e, ...(detail ? { detail } : {}), ts });
  }
  return { ok: true, channel: 'event', events: out };
}

const CHANNELS: Record<ScannerTopic['channel'], { variants: Variants; build: typeof telemetry }> = {
  telemetry: { variants: variants(TelemetryPayload, 'samples'), build: telemetry },
  status: { variants: variants(StatusPayload, 'statuses'), build: status },
  event: { variants: variants(EventPayload, 'events'), build: events },
};

function parseUnsafe(topic: string, payload: Buffer, limits: ParseLimits, now: number): MessageResult {
  const t = parseScannerTopic(topic);
  // The topic levels are the device's own text: scrub them like any other free text before they are kept.
  if ('error' in t) return reject('bad_topic', scrubPatientText(t.error).text);
  const channel = CHANNELS[t.channel];
  const decoded = decode(payload, channel.variants, limits);
  if ('ok' in decoded) return decoded;
  return channel.build(t, decoded.body, limits, now);
}

/** Parses a message on any scanner channel (telemetry, status, event). Never throws. */
export function parseScannerMessage(topic: string, payload: Buffer, limits: ParseLimits, now = Date.now()): MessageResult {
  try {
    return parseUnsafe(topic, payload, limits, now);
  } catch (err) {
    // A bug here must cost one message, not the collector: reject it with what went wrong.
    return reject('parse_error', `unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 300));
  }
}

/** Telemetry channel only (kept for callers that handle nothing else). */
export function parseTelemetry(topic: string, payload: Buffer, limits: ParseLimits, now = Date.now()): ParseResult {
  const t = parseScannerTopic(topic);
  if (!('error' in t) && t.channel !== 'telemetry') return reject('bad_topic', `channel ${t.channel} is not telemetry`);
  const r = parseScannerMessage(topic, payload, limits, now);
  if (!r.ok) return r;
  return r.channel === 'telemetry' ? { ok: true, readings: r.readings } : reject('bad_topic', 'not telemetry');
}
