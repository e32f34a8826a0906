// PACS contract: what a probe result, a storage sample and the derived signals look like on the event bus,
// over Socket.IO and in the MQTT payload an edge agent pushes to gantry/v1/{site}/pacs/{pacsId}/metrics.
// Nothing here can carry a patient attribute: only ids from configuration, timings, counts and codes.
import { Type, type Static } from '@sinclair/typebox';
import { Slug, SLUG_RE, Timestamp } from './common.js';
import { TOPIC_ROOT } from './topics.js';

export const PacsProbeKind = Type.Union([Type.Literal('echo'), Type.Literal('find'), Type.Literal('retrieve')]);
export type PacsProbeKind = Static<typeof PacsProbeKind>;
export const PACS_PROBE_KINDS: readonly PacsProbeKind[] = ['echo', 'find', 'retrieve'];

/** The layer that failed, in the order a probe goes through them. */
export const PacsFailureCause = Type.Union([
  Type.Literal('tcp_refused'),
  Type.Literal('tcp_timeout'),
  Type.Literal('tls_handshake'),
  Type.Literal('association_rejected'),
  Type.Literal('association_aborted'),
  Type.Literal('no_presentation_context'),
  Type.Literal('dimse_status'),
  Type.Literal('http_status'),
  Type.Literal('timeout'),
  Type.Literal('network_error'),
]);
export type PacsFailureCause = Static<typeof PacsFailureCause>;
export const PACS_FAILURE_CAUSES: readonly PacsFailureCause[] = [
  'tcp_refused', 'tcp_timeout', 'tls_handshake', 'association_rejected', 'association_aborted', 'no_presentation_context', 'dimse_status', 'http_status', 'timeout', 'network_error',
];

/** A bounded, identifier-free code: a rejection reason, a DIMSE status in hex, an HTTP status. */
const Code = Type.String({ pattern: '^[a-z0-9_x]{1,48}$' });

/** Study-age buckets of canary studies; retrieval latency is reported per bucket. */
export const StudyAgeBucket = Type.Union([
  Type.Literal('lt_7d'), Type.Literal('lt_90d'), Type.Literal('lt_1y'), Type.Literal('lt_3y'), Type.Literal('ge_3y'), Type.Literal('unknown'),
]);
export type StudyAgeBucket = Static<typeof StudyAgeBucket>;

/** One probe as an edge agent may push it (pacs and site come from the topic). */
export const PacsProbeBody = Type.Object({
  probe: PacsProbeKind,
  ts: Timestamp,
  ok: Type.Boolean(),
  durationMs: Type.Number({ minimum: 0 }),
  cause: Type.Optional(PacsFailureCause),
  code: Type.Optional(Code),
  matches: Type.Optional(Type.Integer({ minimum: 0 })),
  canary: Type.Optional(Slug),
  ageBucket: Type.Optional(StudyAgeBucket),
  tier: Type.Optional(Slug),
  firstInstanceMs: Type.Optional(Type.Number({ minimum: 0 })),
  instances: Type.Optional(Type.Integer({ minimum: 0 })),
  bytes: Type.Optional(Type.Number({ minimum: 0 })),
  mbPerSec: Type.Optional(Type.Number({ minimum: 0 })),
}, { additionalProperties: false });
export type PacsProbeBody = Static<typeof PacsProbeBody>;

export const PacsProbeResult = Type.Composite([Type.Object({ pacsId: Slug, site: Slug, ts: Type.Number() }), Type.Omit(PacsProbeBody, ['ts'])]);
export type PacsProbeResult = Static<typeof PacsProbeResult>;

export const PacsStorageSource = Type.Union([Type.Literal('statfs'), Type.Literal('folder'), Type.Literal('orthanc'), Type.Literal('mqtt')]);
export type PacsStorageSource = Static<typeof PacsStorageSource>;

export const PacsStorageBody = Type.Object({
  tier: Slug,
  usedBytes: Type.Number({ minimum: 0 }),
  capacityBytes: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
}, { additionalProperties: false });

export const PacsStorageSample = Type.Composite([
  Type.Object({ pacsId: Slug, site: Slug, ts: Type.Number(), source: PacsStorageSource }),
  PacsStorageBody,
]);
export type PacsStorageSample = Static<typeof PacsStorageSample>;

/** Payload on gantry/v1/{site}/pacs/{pacsId}/metrics. */
export const PacsPushPayload = Type.Object({
  ts: Timestamp,
  probes: Type.Optional(Type.Array(PacsProbeBody, { maxItems: 1000 })),
  storage: Type.Optional(Type.Array(PacsStorageBody, { maxItems: 100 })),
  stats: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }), Type.Number(), { maxProperties: 200 })),
}, { additionalProperties: false });
export type PacsPushPayload = Static<typeof PacsPushPayload>;

const NullableNumber = () => Type.Union([Type.Number(), Type.Null()]);

export const PacsTierForecast = Type.Object({
  tier: Slug,
  usedBytes: Type.Number(),
  capacityBytes: NullableNumber(),
  fillPct: NullableNumber(),
  /** Least-squares slope over the sliding window; null until enough samples. */
  growthBytesPerDay: NullableNumber(),
  /** null when not growing (never full at this rate) or not enough samples yet. */
  daysToFull: NullableNumber(),
  /** 95 % band from the slope's standard error: low = fast growth, high = slow growth (null = never). */
  daysToFullLow: NullableNumber(),
  daysToFullHigh: NullableNumber(),
  samples: Type.Integer(),
});
export type PacsTierForecast = Static<typeof PacsTierForecast>;

export const PacsFailureRate = Type.Object({
  probe: PacsProbeKind,
  cause: PacsFailureCause,
  count: Type.Integer(),
  /** Failures of this cause / attempts of this probe, over the window. */
  rate: Type.Number(),
});
export type PacsFailureRate = Static<typeof PacsFailureRate>;

export const PacsLatency = Type.Object({
  probe: PacsProbeKind,
  ageBucket: Type.Union([StudyAgeBucket, Type.Literal('none')]),
  count: Type.Integer(),
  p50Ms: Type.Number(),
  p95Ms: Type.Number(),
  maxMs: Type.Number(),
  avgMs: Type.Number(),
});
export type PacsLatency = Static<typeof PacsLatency>;

export const PacsProbeState = Type.Object({
  probe: PacsProbeKind,
  lastOk: Type.Boolean(),
  consecutiveFailures: Type.Integer(),
  lastCause: Type.Optional(PacsFailureCause),
  attempts: Type.Integer(),
});
export type PacsProbeState = Static<typeof PacsProbeState>;

/** Derived signals of one PACS, recomputed on an interval and pushed live. */
export const PacsDerived = Type.Object({
  pacsId: Slug,
  site: Slug,
  ts: Type.Number(),
  windowMs: Type.Number(),
  tiers: Type.Array(PacsTierForecast),
  failures: Type.Array(PacsFailureRate),
  latency: Type.Array(PacsLatency),
  probes: Type.Array(PacsProbeState),
});
export type PacsDerived = Static<typeof PacsDerived>;

export interface PacsTopic { site: string; pacsId: string }

export function pacsMetricsTopic(t: PacsTopic): string {
  return `${TOPIC_ROOT}/${t.site}/pacs/${t.pacsId}/metrics`;
}

/** Subscription filter for metrics pushed by every PACS edge agent. */
export const PACS_METRICS_FILTER = `${TOPIC_ROOT}/+/pacs/+/metrics`;

export function parsePacsTopic(topic: string): PacsTopic | { error: string } {
  const parts = topic.split('/');
  if (parts.length !== 6 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts[3] !== 'pacs' || parts[5] !== 'metrics') {
    return { error: `topic must be ${TOPIC_ROOT}/{site}/pacs/{pacsId}/metrics` };
  }
  const site = parts[2] as string;
  const pacsId = parts[4] as string;
  if (!SLUG_RE.test(site)) return { error: `site "${site}" is not a lowercase id` };
  if (!SLUG_RE.test(pacsId)) return { error: `pacs id "${pacsId}" is not a lowercase id` };
  return { site, pacsId };
}

/** Shape of contracts/pacs-rules.json: default thresholds the alert engine evaluates (overridable in config). */
export const PacsRule = Type.Object({
  id: Slug,
  description: Type.String(),
  severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
  /** Path of the signal in a PacsDerived event, e.g. tiers[].fillPct. */
  signal: Type.String(),
  measurement: Type.String(),
  field: Type.String(),
  groupBy: Type.Array(Type.String()),
  /** Tag values a point must have for the rule to apply. */
  where: Type.Optional(Type.Record(Type.String(), Type.String())),
  op: Type.Union([Type.Literal('>'), Type.Literal('>='), Type.Literal('<'), Type.Literal('<='), Type.Literal('==')]),
  threshold: Type.Number(),
  forSeconds: Type.Number({ minimum: 0 }),
  enabled: Type.Boolean(),
  source: Type.String(),
}, { additionalProperties: false });
export type PacsRule = Static<typeof PacsRule>;

export const PacsRuleCatalog = Type.Object({ version: Type.Literal(1), rules: Type.Array(PacsRule) }, { additionalProperties: false });
export type PacsRuleCatalog = Static<typeof PacsRuleCatalog>;
