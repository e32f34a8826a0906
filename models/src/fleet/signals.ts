// First half of eval:fleet: replays a scenario through one streaming detector per scanner and the shared
// scanner forecaster, and records what they said (detections, forecasts) and when each scanner first
// crossed a critical limit. This is the slow half (the detectors fit neural networks); the alert gates
// (`evaluate.ts`) run over the recorded signals in a blink, so gate settings can be compared on the same
// signals. Signals are plain data and can be cached as JSON.
import { Cadence } from '../anomaly/cadence.js';
import { detectorSettingsFor } from '../anomaly/catalog-settings.js';
import { StreamingAnomalyDetector, type DetectorConfig } from '../anomaly/streaming-detector.js';
import { ScannerForecaster, type ForecastLimit, type ForecastSettings } from '../forecast/scanner-forecaster.js';
import type { FleetScenario, InjectedFault, MetricLimit, MetricTraits } from './scenario.js';

export interface SignalOptions {
  detector: Partial<DetectorConfig>;
  forecaster: ForecastSettings;
  /** Score at most one sample per this many ms per scanner, as the live worker (models.scoreEverySeconds); absent: every sample. */
  scoreEveryMs?: number;
}

export interface ScannerSignals {
  scannerId: string;
  /** Time of every sample, in order. */
  ts: number[];
  /** Samples the detector did not score (index into ts; decimated by scoreEveryMs); absent: none. */
  unscored?: number[];
  /** Samples whose raw score reached the detector's level (index into ts; what the anomaly gate counts) and what drove the score: 'model' or the metric. */
  anomalous: Array<{ i: number; cause: string }>;
  /** Samples the detector reported as detections (after its rest): for the record, gates do not use them. */
  detections: number[];
  /** Forecasts as the live worker publishes them (etaMs null: a forecast went away). */
  forecasts: Array<{ i: number; metric: string; etaMs: number | null; highMs?: number }>;
  /** First sample past a critical limit, or null. */
  crossingMs: number | null;
  /** Forecast metrics that follow exam load (catalog `followsLoad`). */
  loadFollowing: string[];
}

export interface FleetSignals {
  startMs: number;
  endMs: number;
  faults: InjectedFault[];
  scanners: ScannerSignals[];
  samples: number;
}

interface State {
  sig: ScannerSignals;
  limits: MetricLimit[];
  metrics: Record<string, MetricTraits>;
  detector: StreamingAnomalyDetector | null;
  names: string[];
  forecaster: ScannerForecaster;
  cadence: Cadence;
}

/** The scenario's limits as forecast limits; flags (0/1) are not trends, as in forecastLimits. */
function toForecastLimits(limits: MetricLimit[], metrics: Record<string, MetricTraits>): ForecastLimit[] {
  return limits.filter((l) => metrics[l.metric]?.unit !== 'bool').map((l) => ({ ...l, followsLoad: metrics[l.metric]?.followsLoad === true }));
}

export function collectSignals(scenario: FleetScenario, o: SignalOptions): FleetSignals {
  const states = new Map<string, State>(scenario.scanners.map((s) => {
    const metrics = s.metrics ?? {};
    const limits = toForecastLimits(s.limits, metrics);
    const loadFollowing = [...new Set(limits.filter((l) => l.followsLoad).map((l) => l.metric))];
    const sig: ScannerSignals = { scannerId: s.scannerId, ts: [], unscored: [], anomalous: [], detections: [], forecasts: [], crossingMs: null, loadFollowing };
    return [s.scannerId, { sig, limits: s.limits, metrics, detector: null, names: [], forecaster: new ScannerForecaster(limits, o.forecaster), cadence: new Cadence(o.scoreEveryMs ?? 0) }];
  }));
  let samples = 0;
  for (const sample of scenario.samples()) {
    samples++;
    const st = states.get(sample.scannerId);
    if (!st) continue;
    if (!st.detector) {
      st.names = Object.keys(sample.metrics).sort();
      st.detector = new StreamingAnomalyDetector({ ...o.detector, ...detectorSettingsFor(st.names.map((n) => st.metrics[n] ?? { unit: '' })) });
    }
    const i = st.sig.ts.length;
    st.sig.ts.push(sample.ts);
    if (st.cadence.due(sample.ts)) {
      const scored = st.detector.update(st.names.map((n) => sample.metrics[n] ?? Number.NaN), sample.ts);
      if (scored.anomalous) st.sig.detections.push(i);
      if (scored.rawScore >= st.detector.config.threshold) {
        const c = scored.cause;
        st.sig.anomalous.push({ i, cause: c?.stage === 'stat' ? `${st.names[c.dim] ?? c.dim}` : 'model' });
      }
    } else st.sig.unscored!.push(i);
    for (const f of st.forecaster.push(sample.ts, sample.metrics)) {
      st.sig.forecasts.push({ i, metric: f.metric, etaMs: f.etaMs, ...(f.highMs !== undefined ? { highMs: f.highMs } : {}) });
    }
    if (st.sig.crossingMs === null && st.limits.some((l) => crossed(l, sample.metrics[l.metric]))) st.sig.crossingMs = sample.ts;
  }
  for (const st of states.values()) st.detector?.dispose();
  return { startMs: scenario.startMs, endMs: scenario.endMs, faults: scenario.faults, scanners: [...states.values()].map((s) => s.sig), samples };
}

function crossed(l: MetricLimit, v: number | undefined): boolean {
  return v !== undefined && (l.direction === 'below' ? v < l.limit : v > l.limit);
}
