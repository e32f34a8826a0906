// The simulated PACS's ground truth (written beside the fleet simulator's): which fault it injected when,
// and what a probe that starts inside that window must report. Tests and people compare Gantry's probe
// results against it. Documented in docs/pacs.md ("The simulated PACS").
import { Type, type Static } from '@sinclair/typebox';
import { PacsFailureCause, PacsProbeKind } from './pacs.js';

export const PACS_SIM_FAULT_KINDS = ['unknown_calling_ae', 'timeout', 'abort', 'slow_recall', 'outage'] as const;
export const PacsSimFaultKind = Type.Union(PACS_SIM_FAULT_KINDS.map((k) => Type.Literal(k)));
export type PacsSimFaultKind = Static<typeof PacsSimFaultKind>;

/** What a probe that starts inside the window reports: a failure cause, or (slow recall) a slow success. */
export const PacsSimExpectation = Type.Object({
  probes: Type.Array(PacsProbeKind, { description: 'probes the fault affects' }),
  ok: Type.Boolean(),
  cause: Type.Optional(PacsFailureCause),
  code: Type.Optional(Type.String()),
  /** Slow recall: retrievals of studies on these tiers take at least this long. */
  tiers: Type.Optional(Type.Array(Type.String())),
  minDurationMs: Type.Optional(Type.Number()),
});
export type PacsSimExpectation = Static<typeof PacsSimExpectation>;

export const PacsSimFaultWindow = Type.Object({
  kind: PacsSimFaultKind,
  startMs: Type.Number(),
  endMs: Type.Number(),
  start: Type.String({ format: 'date-time' }),
  expect: PacsSimExpectation,
});
export type PacsSimFaultWindow = Static<typeof PacsSimFaultWindow>;

export const PacsSimGroundTruth = Type.Object({
  version: Type.Literal(1),
  generatedAt: Type.String({ format: 'date-time' }),
  pacsId: Type.String(),
  seed: Type.Integer(),
  startMs: Type.Number(),
  cycleMs: Type.Number({ description: 'the fault schedule repeats with this period' }),
  timeScale: Type.Number(),
  tiers: Type.Array(Type.Object({ name: Type.String(), maxAgeDays: Type.Union([Type.Number(), Type.Null()]), capacityBytes: Type.Number(), fillPctNow: Type.Number(), growthPctPerDay: Type.Number() })),
  windows: Type.Array(PacsSimFaultWindow, { description: 'every fault window started so far (and the next cycle\'s)' }),
});
export type PacsSimGroundTruth = Static<typeof PacsSimGroundTruth>;
