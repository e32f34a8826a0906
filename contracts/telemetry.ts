// MQTT contract, version 1. A scanner (or the gateway in front of it) publishes to
// gantry/v1/{site}/{modality}/{scannerId}/{telemetry|status|event}, one item or a batch of items per message.
// docs/mqtt-api.md is generated from these schemas (npm run docs:mqtt) and a test fails when they disagree.
import { Type, type Static } from '@sinclair/typebox';
import { Modality, Slug, Timestamp } from './common.js';

export const MetricValues = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), Type.Number(), {
  description: 'metric name (from the metric catalog) → value in the catalog unit',
  minProperties: 1,
});

export const TelemetrySample = Type.Object(
  {
    ts: Timestamp,
    metrics: MetricValues,
  },
  { additionalProperties: false, description: 'values of one or more catalog metrics at one instant' },
);
export type TelemetrySample = Static<typeof TelemetrySample>;

export const TelemetryBatch = Type.Object(
  { samples: Type.Array(TelemetrySample, { minItems: 1, description: 'samples, any order' }) },
  { additionalProperties: false },
);

/** What may arrive on a telemetry topic: a single sample, or a batch of them. */
export const TelemetryPayload = Type.Union([TelemetrySample, TelemetryBatch]);
export type TelemetryPayload = Static<typeof TelemetryPayload>;

/** An accepted reading after validation, as the event bus and Socket.IO carry it. ts is epoch ms. */
export const TelemetryReading = Type.Object({
  site: Slug,
  modality: Modality,
  scannerId: Slug,
  ts: Type.Number(),
  metrics: MetricValues,
});
export type TelemetryReading = Static<typeof TelemetryReading>;

export const SCANNER_STATES = ['up', 'degraded', 'down', 'maintenance'] as const;
export const ScannerState = Type.Union(SCANNER_STATES.map((s) => Type.Literal(s)), { description: 'operational state' });
export type ScannerState = Static<typeof ScannerState>;

// Free text is bounded and documented as technical only: these strings are stored, and must never carry
// patient identifiers (the contract cannot tell, so it keeps them short and says so).
const Reason = Type.String({ maxLength: 200, description: 'technical reason, no patient data (≤ 200 chars)' });

export const StatusSample = Type.Object(
  { ts: Timestamp, state: ScannerState, reason: Type.Optional(Reason) },
  { additionalProperties: false, description: 'a change (or a periodic restatement) of the scanner state' },
);
export type StatusSample = Static<typeof StatusSample>;
export const StatusPayload = Type.Union([
  StatusSample,
  Type.Object({ statuses: Type.Array(StatusSample, { minItems: 1 }) }, { additionalProperties: false }),
]);

export const EVENT_TYPES = ['exam_start', 'exam_end', 'error', 'warning', 'info'] as const;
export const EventType = Type.Union(EVENT_TYPES.map((s) => Type.Literal(s)), { description: 'kind of event' });
export type EventType = Static<typeof EventType>;

export const EventSample = Type.Object(
  {
    ts: Timestamp,
    type: EventType,
    code: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: 'vendor error / event code, e.g. "E-4711"' })),
    examType: Type.Optional(Slug),
    detail: Type.Optional(Reason),
  },
  { additionalProperties: false, description: 'something that happened at one instant' },
);
export type EventSample = Static<typeof EventSample>;
export const EventPayload = Type.Union([
  EventSample,
  Type.Object({ events: Type.Array(EventSample, { minItems: 1 }) }, { additionalProperties: false }),
]);

const Identity = { site: Slug, modality: Modality, scannerId: Slug, ts: Type.Number() };
export const StatusChange = Type.Object({ ...Identity, state: ScannerState, reason: Type.Optional(Type.String()) });
export type StatusChange = Static<typeof StatusChange>;
export const ScannerEvent = Type.Object({
  ...Identity, type: EventType, code: Type.Optional(Type.String()), examType: Type.Optional(Type.String()), detail: Type.Optional(Type.String()),
});
export type ScannerEvent = Static<typeof ScannerEvent>;

/** One accepted MQTT message, whatever its channel. */
export type AcceptedMessage =
  | { channel: 'telemetry'; readings: TelemetryReading[] }
  | { channel: 'status'; statuses: StatusChange[] }
  | { channel: 'event'; events: ScannerEvent[] };

/** Every way a message can be refused; each is counted separately in /metrics. */
export const REJECT_REASONS = [
  'bad_topic', 'oversize', 'malformed_json', 'schema', 'too_many_samples', 'unknown_metric', 'future_timestamp', 'stale_timestamp',
  'implausible_value', 'parse_error',
] as const;
export const RejectReason = Type.Union(REJECT_REASONS.map((r) => Type.Literal(r)));
export type RejectReason = Static<typeof RejectReason>;

/** What each reject reason means; the API doc is generated from this. */
export const REJECT_REASON_DOC: Record<RejectReason, string> = {
  bad_topic: 'topic not of the form above (wrong root, level count, id syntax, modality or channel)',
  oversize: 'payload larger than `ingest.maxPayloadBytes`',
  malformed_json: 'payload is not JSON',
  schema: 'JSON of the wrong shape or types (the detail names the path)',
  too_many_samples: 'batch longer than `ingest.maxSamplesPerMessage`',
  unknown_metric: 'a metric not in the catalog for the topic\'s modality',
  future_timestamp: 'a timestamp more than `ingest.maxFutureSkewSeconds` ahead of the server clock',
  stale_timestamp: 'a timestamp older than the raw retention (`influx.retentionDays`): InfluxDB would drop it',
  implausible_value: 'a value outside the metric\'s physically plausible range (`plausible` in the metric catalog)',
  parse_error: 'the payload made the parser fail unexpectedly (a Gantry bug, counted so it is seen; the message is not redelivered)',
};

/** A rejected message as the dead-letter store keeps it: the shape of the payload, never its text by default. */
export const DeadLetter = Type.Object({
  at: Type.Number({ description: 'epoch ms when it was rejected' }),
  reason: Type.String(),
  topic: Type.String(),
  detail: Type.String(),
  payloadBytes: Type.Integer(),
  shape: Type.String({ description: 'keys, types and sizes of the payload (e.g. {"ts": number, "metrics": {"power_kw": string(4)}}), no values' }),
  payload: Type.Optional(Type.String({ description: 'start of the payload, scrubbed of patient-like text; only when ingest.deadLetterCapturePayload is on' })),
});
export type DeadLetter = Static<typeof DeadLetter>;
