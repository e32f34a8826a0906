// REST reads of PACS health: the latest derived signals per PACS (GET /api/pacs) and their history from
// InfluxDB over any range, downsampled into buckets like scanner series (GET /api/pacs/{pacsId}/history).
import { Type, type Static } from '@sinclair/typebox';
import { Slug, Timestamp } from './common.js';
import { PacsDerived, PacsFailureCause, PacsProbeKind } from './pacs.js';

export const PacsListResponse = Type.Array(PacsDerived);
export type PacsListResponse = Static<typeof PacsListResponse>;

export const PACS_HISTORY_SECTIONS = ['latency', 'failures', 'storage', 'association'] as const;

export const PacsHistoryQuery = Type.Object({
  from: Timestamp,
  to: Type.Optional(Timestamp),
  step: Type.Optional(Type.Integer({ minimum: 1, maximum: 31_536_000, description: 'wanted bucket width in seconds; raised if the range would exceed maxPoints' })),
  maxPoints: Type.Optional(Type.Integer({ minimum: 10, maximum: 5000, description: 'most buckets per series (default 300; ceiling: config api.seriesMaxPoints)' })),
  include: Type.Optional(Type.String({ pattern: '^(latency|failures|storage|association)(,(latency|failures|storage|association)){0,3}$', description: 'comma-separated sections (default: all)' })),
}, { additionalProperties: false });
export type PacsHistoryQuery = Static<typeof PacsHistoryQuery>;

const N = () => Type.Union([Type.Number(), Type.Null()]);

export const PacsLatencyPoint = Type.Object({ ts: Type.Number(), p50Ms: N(), p95Ms: N(), maxMs: N(), count: Type.Integer() });
export const PacsCountPoint = Type.Object({ ts: Type.Number(), count: Type.Integer() });
export const PacsFillPoint = Type.Object({ ts: Type.Number(), mean: N(), min: N(), max: N(), usedBytes: N(), capacityBytes: N() });
export const PacsHealthPoint = Type.Object({ ts: Type.Number(), okRatio: N(), attempts: Type.Integer() });

export const PacsHistory = Type.Object({
  pacsId: Slug,
  site: Slug,
  from: Type.Number(),
  to: Type.Number(),
  stepMs: Type.Integer({ description: 'bucket width actually used' }),
  /** Retrieval latency percentiles of successful retrievals per study-age bucket and tier. */
  latency: Type.Array(Type.Object({ ageBucket: Type.String(), tier: Type.Union([Type.String(), Type.Null()]), points: Type.Array(PacsLatencyPoint) })),
  /** Failed probes per cause and bucket. */
  failures: Type.Array(Type.Object({ cause: PacsFailureCause, points: Type.Array(PacsCountPoint) })),
  /** Tier fill (percent of capacity) per bucket. */
  storage: Type.Array(Type.Object({ tier: Type.String(), points: Type.Array(PacsFillPoint) })),
  /** Share of successful associations per probe and bucket. */
  association: Type.Array(Type.Object({ probe: PacsProbeKind, points: Type.Array(PacsHealthPoint) })),
});
export type PacsHistory = Static<typeof PacsHistory>;
