// Typed in-process event bus. Producers (collectors, rule engine) and consumers (Socket.IO, metrics) meet
// here without knowing about each other; the map below is the only list of what travels on it.
import { EventEmitter } from 'node:events';
import type { Alert, TelemetryReading, RejectReason, StatusChange, ScannerEvent } from '../contracts/index.js';
import type { PacsDerived, PacsProbeResult, PacsStorageSample } from '../contracts/pacs.js';
import type { AnomalyScore, PacsSignal, Prediction } from '../contracts/alert-signals.js';

export interface BusEvents {
  telemetry: TelemetryReading;
  alert: Alert;
  reject: { reason: RejectReason; topic: string; detail: string };
  'pacs:probe': PacsProbeResult;
  'pacs:storage': PacsStorageSample;
  'pacs:derived': PacsDerived;
  scannerStatus: StatusChange;
  scannerEvent: ScannerEvent;
  /** The spool crossed its alarm level (or went back under it). */
  spoolAlarm: { active: boolean; pendingBytes: number; maxBytes: number };
  /** Anomaly score of a scanner's recent window, from the models (alert rules of kind anomaly). */
  anomaly: AnomalyScore;
  /** Time-to-threshold / remaining-useful-life forecast, from the models (kind predictive). */
  prediction: Prediction;
  /** A derived PACS signal from the PACS collector (kinds pacs and nodata with source pacs). */
  pacs: PacsSignal;
}

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Many sockets and rules subscribe; the default cap of 10 would only produce false leak warnings.
    this.emitter.setMaxListeners(0);
  }

  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void {
    this.emitter.emit(event, payload);
  }

  /** Subscribes and returns the function that unsubscribes. */
  on<K extends keyof BusEvents>(event: K, listener: (payload: BusEvents[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
