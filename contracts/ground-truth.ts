// Files of the device-twin simulator: the scenario it is given (which fault, on which scanner, when) and the
// ground truth it writes per run (fault onset and failure time per scanner), which detection and
// lead-time scoring (npm run eval:fleet) read. Documented in docs/simulator.md.
import { Type, type Static } from '@sinclair/typebox';
import { Modality, Slug } from './common.js';

export const FAULT_KIND_NAMES = ['helium_leak', 'coldhead_failure', 'chiller_failure', 'gradient_amp_drift', 'tube_ageing', 'bearing_wear'] as const;
export const FaultKindSchema = Type.Union(FAULT_KIND_NAMES.map((k) => Type.Literal(k)));

export const ScenarioFault = Type.Object({
  scannerId: Slug,
  kind: FaultKindSchema,
  onset: Type.Optional(Type.String({ format: 'date-time', description: 'absolute onset time' })),
  onsetHours: Type.Optional(Type.Number({ minimum: 0, description: 'onset in hours after the start of the run (the start of the backfill, if any)' })),
  hoursToFailure: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'time from onset to failure; default per fault kind' })),
  repairHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'time from failure until a service engineer repairs it (status up again); absent: it stays down' })),
}, { additionalProperties: false });
export type ScenarioFault = Static<typeof ScenarioFault>;

export const Scenario = Type.Object({
  version: Type.Literal(1),
  description: Type.Optional(Type.String()),
  faults: Type.Array(ScenarioFault, { default: [] }),
  randomFaults: Type.Optional(Type.Integer({ minimum: 0, description: 'additional faults on random scanners at random times (seeded)' })),
}, { additionalProperties: false });
export type Scenario = Static<typeof Scenario>;

export const GroundTruthFault = Type.Object({
  scannerId: Slug,
  site: Slug,
  modality: Modality,
  kind: FaultKindSchema,
  onsetMs: Type.Number({ description: 'epoch ms the fault starts developing' }),
  onset: Type.String({ format: 'date-time' }),
  failureMs: Type.Number({ description: 'epoch ms the failure metric crosses its critical limit (may be after the run ends)' }),
  failure: Type.String({ format: 'date-time' }),
  failsWithinRun: Type.Boolean(),
  failureMetric: Type.String(),
  failureCondition: Type.String(),
  errorCode: Type.String(),
  story: Type.String(),
});
export type GroundTruthFault = Static<typeof GroundTruthFault>;

export const GroundTruth = Type.Object({
  version: Type.Literal(1),
  generatedAt: Type.String({ format: 'date-time' }),
  seed: Type.Integer(),
  run: Type.Object({
    mode: Type.Union([Type.Literal('live'), Type.Literal('backfill'), Type.Literal('programmatic')]),
    startMs: Type.Number(),
    endMs: Type.Union([Type.Number(), Type.Null()], { description: 'null while a live run is open-ended' }),
    stepMs: Type.Number({ description: 'sampling step per scanner' }),
  }),
  scanners: Type.Array(Type.Object({ site: Slug, modality: Modality, scannerId: Slug })),
  faults: Type.Array(GroundTruthFault, { description: 'every scripted fault; scanners not listed are healthy' }),
});
export type GroundTruth = Static<typeof GroundTruth>;
