// Turns one MQTT message into accepted items or exactly one reject reason. Pure: no I/O, so every
// rejection rule is unit-testable and the collector stays a thin adapter.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  EventPayload, StatusPayload, TelemetryPayload, parseScannerTopic,
  type AcceptedMessage, type EventSample, type RejectReason, type ScannerTopic, type StatusSample, type TelemetryReading, type TelemetrySample, type Timestamp,
} from '../../contracts/index.js';
import { metricsFor } from '../../contracts/metric-catalog.js';

// Metric names per modality as sets: checked for every field of every sample, so a list scan would cost.
const KNOWN = new Map<string, ReadonlySet<string>>();
const known = (modality: ScannerTopic['modality']): ReadonlySet<string> => {
  let set = KNOWN.get(modality);
  if (!set) { set = new Set(metricsFor(modality).map((m) => m.name)); KNOWN.set(modality, set); }
  return set;
};

const telemetryCheck = TypeCompiler.Compile(TelemetryPayload);
const statusCheck = TypeCompiler.Compile(StatusPayload);
const eventCheck = TypeCompiler.Compile(EventPayload);

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

interface Checker { Check(v: unknown): boolean; Errors(v: unknown): Iterable<{ path: string; message: string }> }

function decode(payload: Buffer, check: Checker, limits: ParseLimits): { body: unknown } | Rejected {
  if (payload.length > limits.maxPayloadBytes) return reject('oversize', `payload is ${payload.length} bytes, limit ${limits.maxPayloadBytes}`);
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return reject('malformed_json', (err as Error).message);
  }
  if (!check.Check(body)) {
    // A union reports "Expected union value" at the root; the deepest error says what is actually wrong.
    const errors = [...check.Errors(body)];
    const deepest = errors.reduce((a, b) => (b.path.length > a.path.length ? b : a), errors[0] ?? { path: '/', message: 'does not match the schema' });
    return reject('schema', `${deepest.path || '/'}: ${deepest.message}`);
  }
  return { body };
}

function checkTime(raw: Timestamp, limits: ParseLimits, now: number): number | Rejected {
  const ts = toMs(raw);
  if (!Number.isFinite(ts)) return reject('schema', `timestamp ${JSON.stringify(raw)} is not a date`);
  if (ts > now + limits.maxFutureSkewMs) return reject('future_timestamp', `timestamp ${new Date(ts).toISOString()} is more than ${limits.maxFutureSkewMs / 1000} s ahead`);
  if (limits.maxPastAgeMs !== undefined && ts < now - limits.maxPastAgeMs) {
    return reject('stale_timestamp', `timestamp ${new Date(ts).toISOString()} is older than the ${Math.round(limits.maxPastAgeMs / 86400000)}-day retention`);
  }
  return Math.round(ts);
}

function items<T>(body: object, key: string, limits: ParseLimits): T[] | Rejected {
  const list = (key in body ? (body as Record<string, unknown>)[key] : [body]) as T[];
  if (list.length > limits.maxSamplesPerMessage) return reject('too_many_samples', `${list.length} items, limit ${limits.maxSamplesPerMessage}`);
  return list;
}

const isRejected = (v: unknown): v is Rejected => typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === false;

function telemetry(t: ScannerTopic, body: object, limits: ParseLimits, now: number): MessageResult {
  const samples = items<TelemetrySample>(body, 'samples', limits);
  if (isRejected(samples)) return samples;
  const readings: TelemetryReading[] = [];
  const names = known(t.modality);
  for (const s of samples) {
    const ts = checkTime(s.ts, limits, now);
    if (isRejected(ts)) return ts;
    for (const name in s.metrics) {
      const value = s.metrics[name] as number;
      if (!names.has(name)) return reject('unknown_metric', `${name} is not a ${t.modality} metric in the catalog`);
      if (!Number.isFinite(value)) return reject('schema', `${name} is not a finite number`);
    }
    readings.push({ site: t.site, modality: t.modality, scannerId: t.scannerId, ts, metrics: s.metrics });
  }
  return { ok: true, channel: 'telemetry', readings };
}

function status(t: ScannerTopic, body: object, limits: ParseLimits, now: number): MessageResult {
  const list = items<StatusSample>(body, 'statuses', limits);
  if (isRejected(list)) return list;
  const statuses = [];
  for (const s of list) {
    const ts = checkTime(s.ts, limits, now);
    if (isRejected(ts)) return ts;
    statuses.push({ site: t.site, modality: t.modality, scannerId: t.scannerId, ts, state: s.state, ...(s.reason ? { reason: s.reason } : {}) });
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
    out.push({ site: t.site, modality: t.modality, scannerId: t.scannerId, ...e, ts });
  }
  return { ok: true, channel: 'event', events: out };
}

const CHANNELS: Record<ScannerTopic['channel'], { check: Checker; build: typeof telemetry }> = {
  telemetry: { check: telemetryCheck, build: telemetry },
  status: { check: statusCheck, build: status },
  event: { check: eventCheck, build: events },
};

/** Parses a message on any scanner channel (telemetry, status, event). */
export function parseScannerMessage(topic: string, payload: Buffer, limits: ParseLimits, now = Date.now()): MessageResult {
  const t = parseScannerTopic(topic);
  if ('error' in t) return reject('bad_topic', t.error);
  const channel = CHANNELS[t.channel];
  const decoded = decode(payload, channel.check, limits);
  if ('ok' in decoded) return decoded;
  return channel.build(t, decoded.body as object, limits, now);
}

/** Telemetry channel only (kept for callers that handle nothing else). */
export function parseTelemetry(topic: string, payload: Buffer, limits: ParseLimits, now = Date.now()): ParseResult {
  const t = parseScannerTopic(topic);
  if (!('error' in t) && t.channel !== 'telemetry') return reject('bad_topic', `channel ${t.channel} is not telemetry`);
  const r = parseScannerMessage(topic, payload, limits, now);
  if (!r.ok) return r;
  return r.channel === 'telemetry' ? { ok: true, readings: r.readings } : reject('bad_topic', 'not telemetry');
}
