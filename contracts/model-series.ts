// Reads of stored model output for the scanner page: the anomaly score over a range (downsampled like
// telemetry series) and the latest time-to-threshold forecast per metric. Live values come over Socket.IO
// (`anomaly`, `prediction`); these answer what happened before the page was opened.
import { Type, type Static } from '@sinclair/typebox';
import { Slug, Timestamp } from './common.js';
import { Prediction } from './alert-signals.js';

export const AnomalySeriesQuery = Type.Object(
  {
    scanner: Slug,
    from: Timestamp,
    to: Type.Optional(Timestamp),
    maxPoints: Type.Optional(Type.Integer({ minimum: 10, maximum: 5000, description: 'most buckets (default and ceiling: config api.seriesMaxPoints)' })),
  },
  { additionalProperties: false, description: 'answers a SeriesResponse with series "score" (mean/min/max per bucket) and "threshold"' },
);
export type AnomalySeriesQuery = Static<typeof AnomalySeriesQuery>;

export const PredictionsQuery = Type.Object(
  {
    scanner: Slug,
    within: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'look back this many days for forecasts (default 7)' })),
  },
  { additionalProperties: false },
);
export type PredictionsQuery = Static<typeof PredictionsQuery>;

export const PredictionsResponse = Type.Array(Prediction, { description: 'latest forecast per metric still in force (withdrawn ones are left out)' });
export type PredictionsResponse = Static<typeof PredictionsResponse>;
