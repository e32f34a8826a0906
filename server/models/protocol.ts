// Messages between the live scoring service (main thread) and its worker. Payloads are contract types;
// only the envelope is defined here.
import type { ModelBackendSetting } from '../../contracts/model-backend.js';
import type { AnomalyScore, Prediction } from '../../contracts/alert-signals.js';
import type { TelemetryReading } from '../../contracts/index.js';
import type { ForecastSettings } from '../../models/src/forecast/scanner-forecaster.js';

export interface ScoringSettings extends ForecastSettings {
  backend: ModelBackendSetting;
  artifactsDir: string;
  anomalyArtifact: string;
  /** Score at most one reading per this many ms of sample time per scanner (0: every reading). */
  scoreEveryMs: number;
}

export type ToWorker = { type: 'readings'; readings: TelemetryReading[] };

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'scored'; scores: AnomalyScore[]; predictions: Prediction[]; seconds: number }
  | { type: 'error'; message: string };
