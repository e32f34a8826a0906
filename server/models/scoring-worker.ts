// Scores live telemetry off the main thread: one streaming anomaly detector per scanner (the multivariate
// window of its catalog metrics) and time-to-threshold forecasts for metrics with critical limits. Fitting
// a detector takes up to a second; here it never stalls ingest or the API.
import { parentPort, workerData } from 'node:worker_threads';
import type { AnomalyScore, Prediction } from '../../contracts/alert-signals.js';
import type { TelemetryReading } from '../../contracts/index.js';
import { metricsFor } from '../../contracts/metric-catalog.js';
import { initBackend, type BackendName } from '../../models/src/backend.js';
import { StreamingAnomalyDetector } from '../../models/src/anomaly/streaming-detector.js';
import { detectorSettingsFor } from '../../models/src/anomaly/catalog-settings.js';
import { loadDetector } from '../../models/src/model-store.js';
import { ScannerForecaster, forecastLimits } from '../../models/src/forecast/scanner-forecaster.js';
import { Cadence } from '../../models/src/anomaly/cadence.js';
import type { FromWorker, ScoringSettings, ToWorker } from './protocol.js';

const settings = workerData as ScoringSettings;
const port = parentPort;
if (!port) throw new Error('scoring-worker must run in a worker thread');

interface ScannerState {
  detector: StreamingAnomalyDetector;
  features: string[];
  forecaster: ScannerForecaster;
  cadence: Cadence;
}

const scanners = new Map<string, ScannerState>();
const artifactDetectors = new Map<string, Promise<{ detector: StreamingAnomalyDetector; features: string[] } | null>>();

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
    s = { detector, features, forecaster: new ScannerForecaster(forecastLimits(metricsFor(r.modality)), settings), cadence: new Cadence(settings.scoreEveryMs) };
    scanners.set(r.scannerId, s);
  }
  return s;
}

async function score(readings: TelemetryReading[]): Promise<FromWorker> {
  const started = performance.now();
  const scores: AnomalyScore[] = [];
  const predictions: Prediction[] = [];
  for (const r of readings) {
    const s = await stateFor(r);
    if (s.cadence.due(r.ts)) {
      const res = s.detector.update(s.features.map((f) => r.metrics[f] ?? Number.NaN), r.ts);
      scores.push({ scannerId: r.scannerId, site: r.site, modality: r.modality, score: res.score, rawScore: res.rawScore, threshold: s.detector.config.threshold, anomalyRate: res.anomalyRate, ts: r.ts });
    }
    for (const f of s.forecaster.push(r.ts, r.metrics)) {
      const base = { scannerId: r.scannerId, site: r.site, modality: r.modality, metric: f.metric, ts: r.ts, etaMs: f.etaMs };
      predictions.push(f.etaMs === null ? base : { ...base, low: f.lowMs, high: f.highMs });
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
