// MQTT telemetry contract, version 1. A scanner (or the gateway in front of it) publishes to
// gantry/v1/{site}/{modality}/{scannerId}/telemetry either one sample or a batch of samples.
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
  { additionalProperties: false },
);
export type TelemetrySample = Static<typeof TelemetrySample>;

export const TelemetryBatch = Type.Object(
  { samples: Type.Array(TelemetrySample, { minItems: 1 }) },
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

/** Every way a message can be refused; each is counted separately in /metrics. */
export const RejectReason = Type.Union([
  Type.Literal('bad_topic'),
  Type.Literal('oversize'),
  Type.Literal('malformed_json'),
  Type.Literal('schema'),
  Type.Literal('too_many_samples'),
  Type.Literal('unknown_metric'),
  Type.Literal('future_timestamp'),
]);
export type RejectReason = Static<typeof RejectReason>;
export const REJECT_REASONS: readonly RejectReason[] = [
  'bad_topic', 'oversize', 'malformed_json', 'schema', 'too_many_samples', 'unknown_metric', 'future_timestamp',
];
