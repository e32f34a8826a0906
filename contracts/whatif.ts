// Wire types of the what-if twin: a site's imaging workflow model, the one change a scenario makes, and the
// difference it makes with confidence intervals. Model and method are described in docs/what-if.md.
import { Type, type Static } from '@sinclair/typebox';
import { Modality, Slug } from './common.js';

const Hour = (description: string) => Type.Number({ minimum: 0, maximum: 24, description });

export const DurationModel = Type.Object({
  meanMinutes: Type.Number({ exclusiveMinimum: 0, maximum: 1440 }),
  cv: Type.Number({ minimum: 0, maximum: 3, description: 'coefficient of variation (sd / mean); ignored for exponential' }),
  distribution: Type.Union([Type.Literal('lognormal'), Type.Literal('exponential'), Type.Literal('fixed')]),
});
export type DurationModel = Static<typeof DurationModel>;

export const ScannerModel = Type.Object({
  id: Slug,
  availability: Type.Number({ minimum: 0.01, maximum: 1, description: 'fraction of time not down (measured from status history, or a default)' }),
  mttrHours: Type.Number({ exclusiveMinimum: 0, maximum: 2000, description: 'mean repair time' }),
});
export type ScannerModel = Static<typeof ScannerModel>;

export const ModalityModel = Type.Object({
  modality: Modality,
  arrivalsPerHour: Type.Array(Type.Number({ minimum: 0, maximum: 1000 }), { minItems: 24, maxItems: 24, description: 'mean exam requests per hour of day, 0..23' }),
  exam: DurationModel,
  read: DurationModel,
  openHours: Type.Object({ start: Hour('first hour exams may start'), end: Hour('no exam starts at or after this hour (24 = midnight)') }),
  scanners: Type.Array(ScannerModel, { minItems: 0, maxItems: 50 }),
});
export type ModalityModel = Static<typeof ModalityModel>;

export const SiteModel = Type.Object({
  site: Slug,
  modalities: Type.Array(ModalityModel, { minItems: 1, maxItems: 5 }),
  reading: Type.Object({
    radiologists: Type.Integer({ minimum: 1, maximum: 200 }),
    hours: Type.Object({ start: Hour('reading starts'), end: Hour('no new read starts at or after this hour') }),
  }),
  provenance: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'where each part of the model came from (fitted, measured, configured)' })),
});
export type SiteModel = Static<typeof SiteModel>;

// No additionalProperties: false on the variants: Fastify's validator strips unknown properties while it
// tries each branch of an anyOf, which would remove the fields of every branch but the first.
export const Scenario = Type.Union([
  Type.Object({ kind: Type.Literal('add-scanner'), modality: Modality, availability: Type.Optional(Type.Number({ minimum: 0.01, maximum: 1 })) }),
  Type.Object({ kind: Type.Literal('volume'), modality: Modality, pct: Type.Number({ minimum: -90, maximum: 100, description: 'change in exam requests, e.g. 15 for +15 %' }) }),
  Type.Object({ kind: Type.Literal('scanner-down'), scannerId: Slug, days: Type.Number({ exclusiveMinimum: 0, maximum: 365 }), startDay: Type.Optional(Type.Number({ minimum: 0, description: 'day of the measured period the outage starts (default 0)' })) }),
  Type.Object({ kind: Type.Literal('extended-hours'), modality: Modality, extraHours: Type.Number({ exclusiveMinimum: 0, maximum: 24, description: 'hours added at the end of the day (capped at 24 h open)' }) }),
  Type.Object({ kind: Type.Literal('add-radiologist'), count: Type.Integer({ minimum: 1, maximum: 50 }) }),
]);
export type Scenario = Static<typeof Scenario>;

export const WhatIfRequest = Type.Object({
  site: Slug,
  scenario: Scenario,
  replications: Type.Optional(Type.Integer({ minimum: 2, maximum: 200 })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  warmupDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
  seed: Type.Optional(Type.Integer()),
  model: Type.Optional(SiteModel),
}, { additionalProperties: false });
export type WhatIfRequest = Static<typeof WhatIfRequest>;

const MaybeNumber = (description?: string) => Type.Union([Type.Number(), Type.Null()], description ? { description } : {});
export const Estimate = Type.Object({
  mean: MaybeNumber('null when not defined (e.g. the wait of a modality with no exams)'),
  ciLow: MaybeNumber('95 % confidence interval over replications (Student t)'),
  ciHigh: MaybeNumber(),
});
export type Estimate = Static<typeof Estimate>;

export const WhatIfMetric = Type.Object({
  name: Type.String({ description: 'e.g. wait_mean, wait_p90, utilization, exams_per_day, turnaround_mean' }),
  scope: Type.String({ description: 'a modality, "reading" or "site"' }),
  unit: Type.String(),
  baseline: Estimate,
  scenario: Estimate,
  difference: Type.Composite([Estimate, Type.Object({ significant: Type.Boolean({ description: 'the CI of the paired difference excludes 0' }) })]),
});
export type WhatIfMetric = Static<typeof WhatIfMetric>;

export const WhatIfResult = Type.Object({
  site: Slug,
  scenario: Scenario,
  replications: Type.Integer(),
  days: Type.Integer(),
  warmupDays: Type.Integer(),
  seed: Type.Integer(),
  model: SiteModel,
  metrics: Type.Array(WhatIfMetric),
  elapsedMs: Type.Number(),
});
export type WhatIfResult = Static<typeof WhatIfResult>;
