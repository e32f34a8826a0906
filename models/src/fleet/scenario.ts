import type { MetricDefinition } from '../../../contracts/metric-catalog.js';

/** What the catalog says of a metric that the detector's per-metric settings follow from. */
export type MetricTraits = Pick<MetricDefinition, 'unit' | 'intermittent' | 'followsLoad'>;

/**
 * What eval:fleet needs from a fleet simulator. Anything that can replay scanners' telemetry and say
 * where faults were injected can be evaluated; `simulator-source.ts` adapts collectors/simulator.
 */
export interface FleetSample {
  scannerId: string;
  ts: number;
  metrics: Record<string, number>;
}

export interface MetricLimit {
  metric: string;
  limit: number;
  /** 'below': failure when the metric falls under the limit (helium); 'above': rises past it. */
  direction: 'above' | 'below';
}

export interface InjectedFault {
  scannerId: string;
  kind: string;
  startMs: number;
  /** Ground-truth failure time, if the source knows it; else the first critical-limit crossing. */
  failureMs?: number;
}

export interface FleetScenario {
  /** metrics: what the catalog says of each metric (unit, on/off), from which the detector's per-metric settings follow. */
  scanners: Array<{ scannerId: string; limits: MetricLimit[]; metrics?: Record<string, MetricTraits> }>;
  startMs: number;
  endMs: number;
  intervalMs: number;
  faults: InjectedFault[];
  /** Samples in time order across the fleet. */
  samples(): Iterable<FleetSample>;
}

export interface FleetScenarioOptions {
  scanners: number;
  days: number;
  intervalMs: number;
  seed: number;
  /** Faults start after this many days, once untrained detectors have warmed up. */
  faultAfterDays: number;
  /** Faults of each kind per run, each on its own scanner (as many as the fleet has room for). */
  instancesPerKind?: number;
}

export interface FleetScenarioSource {
  /** Fault kinds the simulator can inject; eval:fleet reports per kind. */
  readonly faultKinds: readonly string[];
  build(options: FleetScenarioOptions): FleetScenario;
}
