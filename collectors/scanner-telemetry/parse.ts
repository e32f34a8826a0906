// Turns one MQTT message into accepted readings or exactly one reject reason. Pure: no I/O, so every
// rejection rule is unit-testable and the collector stays a thin adapter.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { TelemetryPayload, parseScannerTopic, type RejectReason, type TelemetryReading, type TelemetrySample } from '../../contracts/index.js';
import { findMetric } from '../../contracts/metric-catalog.js';

const payloadCheck = TypeCompiler.Compile(TelemetryPayload);

export interface ParseLimits {
  maxPayloadBytes: number;
  maxSamplesPerMessage: number;
  maxFutureSkewMs: number;
}

export type ParseResult =
  | { ok: true; readings: TelemetryReading[] }
  | { ok: false; reason: RejectReason; detail: string };

const reject = (reason: RejectReason, detail: string): ParseResult => ({ ok: false, reason, detail });

function toMs(ts: number | string): number {
  // Numbers below 1e11 are epoch seconds (a common gateway choice); larger ones are milliseconds.
  return typeof ts === 'number' ? (ts < 1e11 ? ts * 1000 : ts) : Date.parse(ts);
}

export function parseTelemetry(topic: string, payload: Buffer, limits: ParseLimits, now = Date.now()): ParseResult {
  const t = parseScannerTopic(topic);
  if ('error' in t) return reject('bad_topic', t.error);
  if (t.channel !== 'telemetry') return reject('bad_topic', `channel ${t.channel} is not telemetry`);
  if (payload.length > limits.maxPayloadBytes) return reject('oversize', `payload is ${payload.length} bytes, limit ${limits.maxPayloadBytes}`);
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return reject('malformed_json', (err as Error).message);
  }
  if (!payloadCheck.Check(body)) {
    // A union reports "Expected union value" at the root; the deepest error says what is actually wrong.
    const errors = [...payloadCheck.Errors(body)];
    const deepest = errors.reduce((a, b) => (b.path.length > a.path.length ? b : a), errors[0] ?? { path: '/', message: 'does not match the telemetry schema' });
    return reject('schema', `${deepest.path || '/'}: ${deepest.message}`);
  }
  const samples: TelemetrySample[] = 'samples' in body ? body.samples : [body];
  if (samples.length > limits.maxSamplesPerMessage) return reject('too_many_samples', `${samples.length} samples, limit ${limits.maxSamplesPerMessage}`);
  const readings: TelemetryReading[] = [];
  for (const s of samples) {
    const ts = toMs(s.ts);
    if (!Number.isFinite(ts)) return reject('schema', `timestamp ${JSON.stringify(s.ts)} is not a date`);
    if (ts > now + limits.maxFutureSkewMs) return reject('future_timestamp', `timestamp ${new Date(ts).toISOString()} is more than ${limits.maxFutureSkewMs / 1000} s ahead`);
    for (const [name, value] of Object.entries(s.metrics)) {
      if (!findMetric(t.modality, name)) return reject('unknown_metric', `${name} is not a ${t.modality} metric in the catalog`);
      if (!Number.isFinite(value)) return reject('schema', `${name} is not a finite number`);
    }
    readings.push({ site: t.site, modality: t.modality, scannerId: t.scannerId, ts, metrics: s.metrics });
  }
  return { ok: true, readings };
}
