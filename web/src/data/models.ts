// Live model output: anomaly scores (a short history per scanner, for sparklines and the scanner page) and
// time-to-threshold forecasts (the latest per scanner and metric). Fed by the socket's `anomaly` and
// `prediction` events, published through the shared ticker like telemetry. The store listens on the socket
// only while someone subscribes; the data it gathered stays for the next subscriber.
import type { AnomalyScore, Prediction } from '../../../contracts/alert-signals.js';
import type { SeriesResponse } from '../../../contracts/series.js';
import { api } from './http.js';
import { getSocket, type GantrySocket } from './socket.js';
import { ticker as pageTicker, type Ticker } from './ticker.js';

export const SCORE_SAMPLES = 300;

export interface AnomalyPoint { readonly ts: number; readonly score: number; readonly threshold: number }

export interface AnomalySnapshot {
  /** Scores per scanner, oldest first, at most SCORE_SAMPLES; a new array whenever one arrives. */
  readonly scores: ReadonlyMap<string, readonly AnomalyPoint[]>;
  readonly version: number;
}

export interface PredictionSnapshot {
  /** Forecasts still in force per scanner, by metric; a new inner map whenever one of them changes. */
  readonly predictions: ReadonlyMap<string, ReadonlyMap<string, Prediction>>;
  readonly version: number;
}

export type ModelSource = Pick<GantrySocket, 'on' | 'off'>;

export interface ModelStore {
  subscribeAnomalies(cb: (snap: AnomalySnapshot) => void): () => void;
  subscribePredictions(cb: (snap: PredictionSnapshot) => void): () => void;
  applyAnomaly(a: AnomalyScore): boolean;
  applyPrediction(p: Prediction): boolean;
}

export function createModelStore(source: () => ModelSource, ticker: Ticker): ModelStore {
  const scores = new Map<string, readonly AnomalyPoint[]>();
  const predictions = new Map<string, ReadonlyMap<string, Prediction>>();
  const anomalyListeners = new Set<(s: AnomalySnapshot) => void>();
  const predictionListeners = new Set<(s: PredictionSnapshot) => void>();
  let version = 0;
  let attachedTo: ModelSource | undefined;

  const anomalySnap = (): AnomalySnapshot => ({ scores, version });
  const predictionSnap = (): PredictionSnapshot => ({ predictions, version });
  const flushAnomalies = () => { version++; const s = anomalySnap(); for (const l of anomalyListeners) l(s); };
  const flushPredictions = () => { version++; const s = predictionSnap(); for (const l of predictionListeners) l(s); };

  function applyAnomaly(a: AnomalyScore): boolean {
    const h = scores.get(a.scannerId) ?? [];
    const last = h[h.length - 1];
    if (last && last.ts >= a.ts) return false; // volatile events may arrive late or twice
    const point: AnomalyPoint = { ts: a.ts, score: a.score, threshold: a.threshold };
    scores.set(a.scannerId, h.length >= SCORE_SAMPLES ? [...h.slice(h.length - SCORE_SAMPLES + 1), point] : [...h, point]);
    return true;
  }

  /** A forecast with etaMs null withdraws the earlier one for that metric. */
  function applyPrediction(p: Prediction): boolean {
    const mine = predictions.get(p.scannerId);
    const prev = mine?.get(p.metric);
    if (prev && prev.ts > p.ts) return false;
    if (p.etaMs === null && !prev) return false;
    const next = new Map(mine ?? []);
    if (p.etaMs === null) next.delete(p.metric); else next.set(p.metric, p);
    if (next.size === 0) predictions.delete(p.scannerId); else predictions.set(p.scannerId, next);
    return true;
  }

  const onAnomaly = (a: AnomalyScore) => { if (applyAnomaly(a)) ticker.request(flushAnomalies); };
  const onAnomalies = (as: AnomalyScore[]) => { let changed = false; for (const a of as) changed = applyAnomaly(a) || changed; if (changed) ticker.request(flushAnomalies); };
  const onPrediction = (p: Prediction) => { if (applyPrediction(p)) ticker.request(flushPredictions); };
  const onPredictions = (ps: Prediction[]) => { let changed = false; for (const p of ps) changed = applyPrediction(p) || changed; if (changed) ticker.request(flushPredictions); };

  function sync(): void {
    const wanted = anomalyListeners.size + predictionListeners.size > 0;
    if (wanted && !attachedTo) {
      attachedTo = source();
      attachedTo.on('anomaly', onAnomaly);
      attachedTo.on('anomaly:batch', onAnomalies);
      attachedTo.on('prediction', onPrediction);
      attachedTo.on('prediction:batch', onPredictions);
    } else if (!wanted && attachedTo) {
      attachedTo.off('anomaly', onAnomaly);
      attachedTo.off('anomaly:batch', onAnomalies);
      attachedTo.off('prediction', onPrediction);
      attachedTo.off('prediction:batch', onPredictions);
      attachedTo = undefined;
    }
    if (anomalyListeners.size === 0) ticker.forget(flushAnomalies);
    if (predictionListeners.size === 0) ticker.forget(flushPredictions);
  }

  return {
    applyAnomaly(a) {
      const changed = applyAnomaly(a);
      if (changed) ticker.request(flushAnomalies);
      return changed;
    },
    applyPrediction(p) {
      const changed = applyPrediction(p);
      if (changed) ticker.request(flushPredictions);
      return changed;
    },
    subscribeAnomalies(cb) {
      anomalyListeners.add(cb);
      sync();
      cb(anomalySnap());
      return () => { anomalyListeners.delete(cb); sync(); };
    },
    subscribePredictions(cb) {
      predictionListeners.add(cb);
      sync();
      cb(predictionSnap());
      return () => { predictionListeners.delete(cb); sync(); };
    },
  };
}

const store = createModelStore(getSocket, pageTicker);
export const subscribeAnomalies = store.subscribeAnomalies;
export const subscribePredictions = store.subscribePredictions;

/** Stored anomaly scores of one scanner (score and threshold, mean and max per bucket). */
export function fetchAnomalySeries(scanner: string, from: number, to: number, maxPoints = 400): Promise<SeriesResponse> {
  return api<SeriesResponse>('/api/models/anomaly-series', { query: { scanner, from, to, maxPoints } });
}

/** The latest stored forecast per metric of one scanner, merged into the live store so the page has them at once. */
export async function loadPredictions(scanner: string): Promise<void> {
  for (const p of await api<Prediction[]>('/api/models/predictions', { query: { scanner } })) store.applyPrediction(p);
}
