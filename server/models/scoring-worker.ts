// Scores live telemetry off the main thread: one streaming anomaly detector per scanner (the multivariate
// window of its catalog metrics) and time-to-threshold forecasts for metrics with critical limits. Fitting
// a detector takes up to a second; here it never stalls ingest or the API.
import { parentPort, workerData } from 'node:worker_threads';
import type { AnomalyScore, Prediction } from '../../contracts/alert-signals.js';
import type { TelemetryReading } from '../../contracts/index.js';
import { metricsFor, type MetricDefinition } from '../../contracts/metric-catalog.js';
import { initBackend, type BackendName } from '../../models/src/backend.js';
import { StreamingAnomalyDetector } from '../../models/src/anomaly/streaming-detector.js';
import { detectorSettingsFor } from '../../models/src/anomaly/catalog-settings.js';
import { loadDetector } from '../../models/src/model-store.js';
import { TrendBuffers, type TrendPolicy } from '../../models/src/forecast/trend-buffers.js';
import type { FromWorker, ScoringSettings, ToWorker } from './protocol.js';

const settings = workerData as ScoringSettings;
const trendPolicy: TrendPolicy = {
  fineStepMs: settings.forecastEveryMs / 10, coarseStepMs: settings.trendWindowMs / settings.forecastSamples, capacity: settings.forecastSamples,
  horizonMs: settings.horizonMs, maxExtrapolation: settings.maxExtrapolation, minSamples: 30, minSpanMs: settings.minTrendMs,
};
const port = parentPort;
if (!port) throw new Error('scoring-worker must run in a worker thread');

interface Limit { metric: string; limit: number; direction: 'above' | 'below'; followsLoad: boolean }
interface ScannerState {
  detector: StreamingAnomalyDetector;
  features: string[];
  limits: Limit[];
  trends: Map<string, TrendBuffers>;
  lastForecast: number;
  predicted: Set<string>;
}

const scanners = new Map<string, ScannerState>();
const artifactDetectors = new Map<string, Promise<{ detector: StreamingAnomalyDetector; features: string[] } | null>>();

function limitsOf(defs: readonly MetricDefinition[]): Limit[] {
  const out: Limit[] = [];
  for (const m of defs) {
    if (m.unit === 'bool') continue;
    if (m.critical?.low !== undefined) out.push({ metric: m.name, limit: m.critical.low, direction: 'below', followsLoad: m.followsLoad === true });
    if (m.critical?.high !== undefined) out.push({ metric: m.name, limit: m.critical.high, direction: 'above', followsLoad: m.followsLoad === true });
  }
  return out;
}

/** A trained artifact for the modality when configured and present, else an untrained detector that fits online. */
async function detectorFor(r: TelemetryReading): Promise<{ detector: StreamingAnomalyDetector; features: string[] }> {
  const defs = metricsFor(r.modality);
  if (settings.anomalyArtifact) {
    const key = `${settings.anomalyArtifact}-${r.modality}`;
    if (!artifactDetectors.has(key)) {
      artifactDetectors.set(key, loadDetector(settings.artifactsDir, key).then(
        (loaded) => ({ detector: loaded.detector, features: loaded.metadata.features.length ? loaded.metadata.features : defs.map((d) => d.name) }),
        () => null,
      ));
    }
    const loaded = await artifactDetectors.get(key);
    // Each scanner needs its own state: start from the artifact's weights and calibration.
    if (loaded) return { detector: StreamingAnomalyDetector.fromState(loaded.detector.exportState()), features: loaded.features };
  }
  return { detector: new StreamingAnomalyDetector(detectorSettingsFor(defs)), features: defs.map((d) => d.name) };
}

async function stateFor(r: TelemetryReading): Promise<ScannerState> {
  let s = scanners.get(r.scannerId);
  if (!s) {
    const { detector, features } = await detectorFor(r);
    s = { detector, features, limits: limitsOf(metricsFor(r.modality)), trends: new Map(), lastForecast: 0, predicted: new Set() };
    scanners.set(r.scannerId, s);
  }
  return s;
}

function forecast(r: TelemetryReading, s: ScannerState, out: Prediction[]): void {
  for (const l of s.limits) {
    const trend = s.trends.get(l.metric);
    if (!trend) continue;
    const key = `${l.metric}:${l.direction}`;
    const f = trend.forecast(l.limit, l.direction, r.ts);
    const base = { scannerId: r.scannerId, site: r.site, modality: r.modality, metric: l.metric, ts: r.ts };
    if (f) {
      s.predicted.add(key);
      out.push({ ...base, etaMs: f.etaMs, low: f.lowMs, high: f.highMs });
    } else if (s.predicted.delete(key)) {
      out.push({ ...base, etaMs: null }); // the trend went away: tell listeners to clear the prediction
    }
  }
}

async function score(readings: TelemetryReading[]): Promise<FromWorker> {
  const started = performance.now();
  const scores: AnomalyScore[] = [];
  const predictions: Prediction[] = [];
  for (const r of readings) {
    const s = await stateFor(r);
    const res = s.detector.update(s.features.map((f) => r.metrics[f] ?? Number.NaN), r.ts);
    scores.push({ scannerId: r.scannerId, site: r.site, modality: r.modality, score: res.score, threshold: s.detector.config.threshold, anomalyRate: res.anomalyRate, ts: r.ts });
    for (const l of s.limits) {
      const v = r.metrics[l.metric];
      if (v === undefined) continue;
      let trend = s.trends.get(l.metric);
      if (!trend) { trend = new TrendBuffers({ ...trendPolicy, fine: !l.followsLoad }); s.trends.set(l.metric, trend); }
      trend.push(r.ts, v);
    }
    if (r.ts - s.lastForecast >= settings.forecastEveryMs) {
      s.lastForecast = r.ts;
      forecast(r, s, predictions);
    }
  }
  return { type: 'scored', scores, predictions, seconds: (performance.now() - started) / 1000 };
}

const prefer: BackendName | undefined = settings.backend === 'auto' ? undefined : settings.backend;
const ready = initBackend({ ...(prefer ? { prefer } : {}) });
let queue = Promise.resolve();
ready.then((backend) => port.postMessage({ type: 'ready', backend } satisfies FromWorker),
  (err: unknown) => port.postMessage({ type: 'error', message: String(err) } satisfies FromWorker));
port.on('message', (msg: ToWorker) => {
  // Batches are scored strictly in arrival order: detectors are stateful and must see samples in sequence.
  queue = queue.then(async () => {
    await ready;
    port.postMessage(await score(msg.readings));
  }).catch((err: unknown) => port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker));
});
