import { fleetLayout, SimulatedScanner, FAULT_KINDS } from '../../../collectors/simulator/fleet.js';
import { metricsFor } from '../../../contracts/metric-catalog.js';
import type { FleetScenario, FleetScenarioOptions, FleetScenarioSource, FleetSample, InjectedFault, MetricLimit } from './scenario.js';

const DAY = 86_400_000;

function limitsFor(modality: Parameters<typeof metricsFor>[0]): MetricLimit[] {
  const out: MetricLimit[] = [];
  for (const m of metricsFor(modality)) {
    if (m.critical?.low !== undefined) out.push({ metric: m.name, limit: m.critical.low, direction: 'below' });
    if (m.critical?.high !== undefined) out.push({ metric: m.name, limit: m.critical.high, direction: 'above' });
  }
  return out;
}

/**
 * Adapts collectors/simulator (SimulatedScanner, fleetLayout, FAULT_KINDS). Every second scanner
 * that supports a fault kind gets it, started at a seeded time after `faultAfterDays`, with a rate
 * that reaches the critical limit a few days later; the rest stay healthy and count false alarms.
 */
export class SimulatorScenarioSource implements FleetScenarioSource {
  readonly faultKinds: readonly string[] = FAULT_KINDS;

  build(o: FleetScenarioOptions): FleetScenario {
    const startMs = Date.UTC(2026, 0, 5);
    const endMs = startMs + o.days * DAY;
    const specs = fleetLayout(o.scanners);
    const sims = specs.map((spec, i) => new SimulatedScanner(spec, o.seed * 1000 + i));
    const faults: InjectedFault[] = [];
    specs.forEach((spec, i) => {
      // helium_leak is the only kind today and applies to MRI; new kinds map onto their modality here.
      if (spec.modality !== 'mri' || i % 2 === 1) return;
      const kind = this.faultKinds[Math.floor(i / 2) % this.faultKinds.length]!;
      const offset = ((i * 7919 + o.seed * 104729) % 1000) / 1000;
      faults.push({ scannerId: spec.scannerId, kind, startMs: startMs + (o.faultAfterDays + offset * 2) * DAY });
    });
    const scenario: FleetScenario = {
      scanners: specs.map((s) => ({ scannerId: s.scannerId, limits: limitsFor(s.modality) })),
      startMs,
      endMs,
      intervalMs: o.intervalMs,
      faults,
      *samples(): Iterable<FleetSample> {
        const started = new Set<number>();
        for (let t = startMs; t < endMs; t += o.intervalMs) {
          for (let i = 0; i < sims.length; i++) {
            const sim = sims[i]!;
            const fault = faults.find((f) => f.scannerId === sim.spec.scannerId);
            if (fault && !started.has(i) && t >= fault.startMs) {
              started.add(i);
              // ~40 %-points of helium over 2-5 days: reaches the critical level, slowly enough for a forecast to lead it.
              const days = 2 + ((i * 31) % 4);
              sim.injectFault(fault.kind as (typeof FAULT_KINDS)[number], t, 40 / (days * 86_400));
            }
            const r = sim.sample(t, o.intervalMs / 1000);
            yield { scannerId: r.scannerId, ts: r.ts, metrics: r.metrics };
          }
        }
      },
    };
    return scenario;
  }
}
