// Scenarios and ground truth, and a whole run in simulated time without MQTT: simulateRun() yields what
// every scanner would publish, in time order, so a model evaluation can generate a labelled fleet history
// in-process (npm run eval:fleet) and score detection against groundTruth().
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import type { EventSample, StatusSample, TelemetryReading } from '../../contracts/index.js';
import { GroundTruth, Scenario, type GroundTruthFault } from '../../contracts/ground-truth.js';
import { FAULTS, FAULT_KINDS, type FaultKind } from './faults.js';
import { fleetLayout, SimulatedScanner, type ScannerSpec } from './fleet.js';
import { seededRandom } from '../../lib/random.js';
import { HOUR } from '../../contracts/units.js';


export interface PlannedFault { scannerId: string; kind: FaultKind; onsetMs: number; failureMs: number; repairMs?: number }

export function loadScenario(path: string): Scenario {
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const withDefaults = Value.Default(Scenario, raw);
  if (!Value.Check(Scenario, withDefaults)) {
    const e = Value.Errors(Scenario, withDefaults).First();
    throw new Error(`scenario ${path} is invalid at ${e?.path || '/'}: ${e?.message ?? 'unknown'}`);
  }
  return withDefaults;
}

/** Turns a scenario into absolute fault times for a fleet, checking scanner ids and modalities. */
export function planFaults(scenario: Scenario | undefined, specs: readonly ScannerSpec[], seed: number, startMs: number, endMs: number): PlannedFault[] {
  const planned: PlannedFault[] = [];
  for (const f of scenario?.faults ?? []) {
    const spec = specs.find((s) => s.scannerId === f.scannerId);
    if (!spec) throw new Error(`scenario: no scanner ${f.scannerId} in this fleet (${specs.map((s) => s.scannerId).join(', ')})`);
    const def = FAULTS[f.kind];
    if (!def.modalities.includes(spec.modality)) throw new Error(`scenario: ${f.kind} does not apply to ${spec.modality} scanner ${f.scannerId}`);
    const onsetMs = f.onset ? Date.parse(f.onset) : startMs + (f.onsetHours ?? 0) * HOUR;
    const failureMs = onsetMs + (f.hoursToFailure ?? def.defaultHoursToFailure) * HOUR;
    planned.push({ scannerId: f.scannerId, kind: f.kind, onsetMs, failureMs, ...(f.repairHours ? { repairMs: failureMs + f.repairHours * HOUR } : {}) });
  }
  const rand = seededRandom(seed * 31 + 7);
  const span = Math.max(HOUR, endMs - startMs);
  for (let i = 0; i < (scenario?.randomFaults ?? 0); i++) {
    const free = specs.filter((s) => !planned.some((p) => p.scannerId === s.scannerId));
    const spec = free[Math.floor(rand() * free.length)];
    if (!spec) break;
    const kinds = FAULT_KINDS.filter((k) => FAULTS[k].modalities.includes(spec.modality));
    const kind = kinds[Math.floor(rand() * kinds.length)];
    if (!kind) continue;
    const onsetMs = Math.round(startMs + rand() * span * 0.6);
    const hours = FAULTS[kind].defaultHoursToFailure * (0.5 + rand());
    planned.push({ scannerId: spec.scannerId, kind, onsetMs, failureMs: Math.round(onsetMs + hours * HOUR) });
  }
  return planned;
}

export function groundTruth(opts: { seed: number; specs: readonly ScannerSpec[]; faults: readonly PlannedFault[]; mode: GroundTruth['run']['mode']; startMs: number; endMs: number | null; stepMs: number }): GroundTruth {
  const faults: GroundTruthFault[] = opts.faults.map((f) => {
    const spec = opts.specs.find((s) => s.scannerId === f.scannerId) as ScannerSpec;
    const def = FAULTS[f.kind];
    return {
      scannerId: f.scannerId, site: spec.site, modality: spec.modality, kind: f.kind,
      onsetMs: f.onsetMs, onset: new Date(f.onsetMs).toISOString(), failureMs: f.failureMs, failure: new Date(f.failureMs).toISOString(),
      failsWithinRun: opts.endMs === null ? true : f.failureMs <= opts.endMs,
      failureMetric: def.failureMetric, failureCondition: def.failureCondition, errorCode: def.errorCode, story: def.story,
    };
  });
  return {
    version: 1, generatedAt: new Date().toISOString(), seed: opts.seed,
    run: { mode: opts.mode, startMs: opts.startMs, endMs: opts.endMs, stepMs: opts.stepMs },
    scanners: opts.specs.map((s) => ({ site: s.site, modality: s.modality, scannerId: s.scannerId })), faults,
  };
}

/** The simulated scanners of a fleet with the planned faults scheduled on them. */
export function buildFleet(count: number, seed: number, faults: readonly PlannedFault[]): SimulatedScanner[] {
  const scanners = fleetLayout(count).map((spec, i) => new SimulatedScanner(spec, seed * 7919 + i));
  for (const f of faults) scanners.find((s) => s.spec.scannerId === f.scannerId)?.scheduleFault(f.kind, f.onsetMs, f.failureMs, f.repairMs);
  return scanners;
}

export interface RunOptions { scanners: number; seed: number; startMs: number; endMs: number; stepMs: number; scenario?: Scenario }
export interface RunStep { reading: TelemetryReading; statuses: StatusSample[]; events: EventSample[] }

/** A whole run in simulated time, no MQTT: the ground truth, and every scanner's output step by step. */
export function runScenario(opts: RunOptions): { groundTruth: GroundTruth; steps: Generator<RunStep> } {
  const specs = fleetLayout(opts.scanners);
  const faults = planFaults(opts.scenario, specs, opts.seed, opts.startMs, opts.endMs);
  const truth = groundTruth({ seed: opts.seed, specs, faults, mode: 'programmatic', startMs: opts.startMs, endMs: opts.endMs, stepMs: opts.stepMs });
  return { groundTruth: truth, steps: simulateSteps(buildFleet(opts.scanners, opts.seed, faults), opts.startMs, opts.endMs, opts.stepMs) };
}

export function* simulateSteps(scanners: readonly SimulatedScanner[], startMs: number, endMs: number, stepMs: number): Generator<RunStep> {
  for (let t = startMs; t < endMs; t += stepMs) {
    for (const s of scanners) {
      const reading = s.sample(t, stepMs / 1000);
      yield { reading, ...s.takeNotices() };
    }
  }
}
