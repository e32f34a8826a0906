import { fleetLayout } from '../../collectors/simulator/fleet.js';
import { FAULTS, FAULT_KINDS } from '../../collectors/simulator/faults.js';
import { runScenario } from '../../collectors/simulator/scenario.js';
import { metricsFor } from '../../contracts/metric-catalog.js';
import type { ScenarioFault } from '../../contracts/ground-truth.js';
import type { FleetScenario, FleetScenarioOptions, FleetScenarioSource, FleetSample, MetricLimit, MetricTraits } from '../../models/src/fleet/scenario.js';
import { DAY } from '../../contracts/units.js';


function limitsFor(modality: Parameters<typeof metricsFor>[0]): MetricLimit[] {
  const out: MetricLimit[] = [];
  for (const m of metricsFor(modality)) {
    if (m.critical?.low !== undefined) out.push({ metric: m.name, limit: m.critical.low, direction: 'below' });
    if (m.critical?.high !== undefined) out.push({ metric: m.name, limit: m.critical.high, direction: 'above' });
  }
  return out;
}

function traitsFor(modality: Parameters<typeof metricsFor>[0]): Record<string, MetricTraits> {
  return Object.fromEntries(metricsFor(modality).map((m) => [m.name, m]));
}

/**
 * Adapts collectors/simulator's programmatic run (runScenario + ground truth). Every fault kind is
 * scripted `instancesPerKind` times (default once), each on its own scanner (every second scanner of a modality, so the others stay healthy and
 * count false alarms), with staggered onsets after `faultAfterDays`. Faults whose default time to
 * failure would outlast the run are compressed to fail half a day before its end, so lead time is
 * measurable for every kind.
 */
export class SimulatorScenarioSource implements FleetScenarioSource {
  readonly faultKinds: readonly string[] = FAULT_KINDS;

  build(o: FleetScenarioOptions): FleetScenario {
    const startMs = Date.UTC(2026, 0, 5);
    const endMs = startMs + o.days * DAY;
    const specs = fleetLayout(o.scanners);
    const seenPerModality = new Map<string, number>();
    const pool = specs.filter((s) => {
      const n = seenPerModality.get(s.modality) ?? 0;
      seenPerModality.set(s.modality, n + 1);
      return n % 2 === 0;
    });
    const faults: ScenarioFault[] = [];
    const instances = o.instancesPerKind ?? 1;
    for (let n = 0; n < instances; n++) {
      FAULT_KINDS.forEach((kind, k) => {
        const spec = pool.find((s) => FAULTS[kind].modalities.includes(s.modality) && !faults.some((f) => f.scannerId === s.scannerId));
        if (!spec) return;
        // Onsets staggered over kinds and instances, so faults do not all start at the same hour of day.
        const onsetHours = (o.faultAfterDays + 0.3 * k + 0.37 * n) * 24;
        const room = o.days * 24 - onsetHours - 12;
        if (room <= 1) return;
        faults.push({ scannerId: spec.scannerId, kind, onsetHours, hoursToFailure: Math.min(FAULTS[kind].defaultHoursToFailure, room) });
      });
    }
    const run = runScenario({ scanners: o.scanners, seed: o.seed, startMs, endMs, stepMs: o.intervalMs, scenario: { version: 1, faults } });
    return {
      scanners: specs.map((s) => ({ scannerId: s.scannerId, limits: limitsFor(s.modality), metrics: traitsFor(s.modality) })),
      startMs,
      endMs,
      intervalMs: o.intervalMs,
      faults: run.groundTruth.faults.map((f) => ({ scannerId: f.scannerId, kind: f.kind, startMs: f.onsetMs, failureMs: f.failureMs })),
      *samples(): Iterable<FleetSample> {
        for (const step of run.steps) yield { scannerId: step.reading.scannerId, ts: step.reading.ts, metrics: step.reading.metrics };
      },
    };
  }
}
