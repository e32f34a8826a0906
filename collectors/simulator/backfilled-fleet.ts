// The simulated fleet as the platform runs it: optionally a stretch of history first (with a few faults that
// develop, fail and get repaired, so a fresh install shows trends, downtime, MTBF / MTTR and what-if inputs
// at once), then live publishing. The backfill runs in the background: the dashboard is up meanwhile.
import type { Logger } from '../../lib/logger.js';
import { FAULTS, FAULT_KINDS } from './faults.js';
import { fleetLayout, type ScannerSpec } from './fleet.js';
import { FleetSimulator, type SimulatorOptions } from './publisher.js';
import { seededRandom } from '../../lib/random.js';
import type { PlannedFault } from './scenario.js';
import { DAY, HOUR } from '../../contracts/units.js';


export interface FleetRunOptions extends Omit<SimulatorOptions, 'faults'> {
  backfillDays: number;
  backfillStepMs: number;
  backfillFaults: number;
  repairHours: number;
}

/**
 * `count` faults on distinct random scanners (seeded): onset in the first half of [startMs, endMs), failure
 * within a quarter of the span after it, repair `repairHours` later; a repair past the end leaves it down.
 */
export function backfillFaults(specs: readonly ScannerSpec[], seed: number, startMs: number, endMs: number, count: number, repairHours: number): PlannedFault[] {
  const rand = seededRandom(seed * 131 + 17);
  const span = endMs - startMs;
  const free = [...specs];
  const out: PlannedFault[] = [];
  while (out.length < count && free.length > 0) {
    const spec = free.splice(Math.floor(rand() * free.length), 1)[0] as ScannerSpec;
    const kinds = FAULT_KINDS.filter((k) => FAULTS[k].modalities.includes(spec.modality));
    const kind = kinds[Math.floor(rand() * kinds.length)];
    if (!kind) continue;
    const onsetMs = Math.round(startMs + rand() * span * 0.5);
    const failureMs = Math.round(onsetMs + Math.min(FAULTS[kind].defaultHoursToFailure * HOUR * (0.5 + rand()), span * 0.25));
    out.push({ scannerId: spec.scannerId, kind, onsetMs, failureMs, repairMs: failureMs + repairHours * HOUR });
  }
  return out;
}

export interface FleetRun {
  simulator: FleetSimulator;
  /** Settles when the backfill is published and live publishing has started (or the run was stopped). */
  ready: Promise<void>;
}

export function runSimulatedFleet(o: FleetRunOptions, log: Logger, now = Date.now()): FleetRun {
  const startMs = now - o.backfillDays * DAY;
  const faults = o.backfillDays > 0 ? backfillFaults(fleetLayout(o.scanners), o.seed, startMs, now, o.backfillFaults, o.repairHours) : [];
  const simulator = new FleetSimulator({ ...o, faults }, log);
  const ready = (async () => {
    if (o.backfillDays > 0) {
      log.info({ days: o.backfillDays, stepS: o.backfillStepMs / 1000, faults: faults.map((f) => `${f.scannerId}: ${f.kind}`) }, 'backfilling simulated history');
      const t = performance.now();
      const res = await simulator.backfill({ startMs, endMs: now, stepMs: o.backfillStepMs });
      log.info({ ...res, seconds: Math.round((performance.now() - t) / 100) / 10 }, 'simulated history backfilled');
    }
    await simulator.start();
  })();
  return { simulator, ready };
}
