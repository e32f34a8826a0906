// Bus events the alert engine consumes besides telemetry: anomaly scores and forecasts from the models, and
// derived PACS signals from the PACS collector. Producers emit these on the event bus; rules of kind
// anomaly, predictive and pacs evaluate them.
import { Type, type Static } from '@sinclair/typebox';
import { Modality, Slug } from './common.js';

export const AnomalyScore = Type.Object({
  scannerId: Slug,
  site: Slug,
  modality: Modality,
  score: Type.Number(),
  threshold: Type.Number({ description: 'the calibrated level above which a score counts as anomalous' }),
  ts: Type.Number({ description: 'epoch ms of the scored window' }),
  rawScore: Type.Optional(Type.Number({ description: 'the score before the detector\'s rest after a detection (score reports an event once); anomaly rules count samples whose raw score reaches the level, default: score' })),
  anomalyRate: Type.Optional(Type.Number({ description: 'share of the recent window whose raw score reached the level' })),
});
export type AnomalyScore = Static<typeof AnomalyScore>;

export const Prediction = Type.Object({
  scannerId: Slug,
  site: Slug,
  modality: Modality,
  metric: Type.String({ description: 'catalog metric, or a model output such as rul' }),
  etaMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'forecast time to threshold / remaining useful life; null: no crossing in sight' }),
  low: Type.Optional(Type.Number({ description: 'lower bound of the interval (ms)' })),
  high: Type.Optional(Type.Number({ description: 'upper bound of the interval (ms)' })),
  ts: Type.Number(),
});
export type Prediction = Static<typeof Prediction>;

export const PacsSignal = Type.Object({
  pacsId: Slug,
  site: Slug,
  signal: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'e.g. retrieval_latency_p95_ms, association_failure_rate, tier_fill_pct, days_to_full' }),
  value: Type.Number(),
  ts: Type.Number(),
});
export type PacsSignal = Static<typeof PacsSignal>;
