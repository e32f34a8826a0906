// Time series and latest-snapshot reads. Ranges are downsampled on the server (InfluxQL GROUP BY time with
// mean/min/max) so a year answers with as few points as an hour.
import { Type, type Static } from '@sinclair/typebox';
import { Slug, Timestamp } from './common.js';
import { TelemetryReading } from './telemetry.js';

export const SeriesQuery = Type.Object(
  {
    scanner: Slug,
    metrics: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}(,[a-z][a-z0-9_]{0,63}){0,19}$', description: 'comma-separated metric names (at most 20)' }),
    from: Timestamp,
    to: Type.Optional(Timestamp),
    step: Type.Optional(Type.Integer({ minimum: 1, maximum: 31_536_000, description: 'wanted bucket width in seconds; raised if the range would exceed maxPoints' })),
    maxPoints: Type.Optional(Type.Integer({ minimum: 10, maximum: 5000, description: 'most buckets per metric (default and ceiling: config api.seriesMaxPoints)' })),
  },
  { additionalProperties: false },
);
export type SeriesQuery = Static<typeof SeriesQuery>;

export const SeriesPoint = Type.Object({
  ts: Type.Number({ description: 'bucket start, epoch ms' }),
  mean: Type.Union([Type.Number(), Type.Null()]),
  min: Type.Union([Type.Number(), Type.Null()]),
  max: Type.Union([Type.Number(), Type.Null()]),
});
export type SeriesPoint = Static<typeof SeriesPoint>;

export const SeriesResponse = Type.Object({
  scanner: Slug,
  from: Type.Number(),
  to: Type.Number(),
  stepMs: Type.Integer({ description: 'bucket width actually used' }),
  series: Type.Array(Type.Object({ metric: Type.String(), points: Type.Array(SeriesPoint) })),
});
export type SeriesResponse = Static<typeof SeriesResponse>;

export const LatestQuery = Type.Object(
  { site: Type.Optional(Slug), scanner: Type.Optional(Slug) },
  { additionalProperties: false },
);
export type LatestQuery = Static<typeof LatestQuery>;
export const LatestResponse = Type.Array(TelemetryReading);

export const RollupBackfillRequest = Type.Object({ from: Timestamp, to: Timestamp }, { additionalProperties: false });
export type RollupBackfillRequest = Static<typeof RollupBackfillRequest>;
