// Typed in-process event bus. Producers (collectors, rule engine) and consumers (Socket.IO, metrics) meet
// here without knowing about each other; the map below is the only list of what travels on it.
import { EventEmitter } from 'node:events';
import type { Alert, TelemetryReading, RejectReason } from '../../contracts/index.js';
import type { PacsDerived, PacsProbeResult, PacsStorageSample } from '../../contracts/pacs.js';

export interface BusEvents {
  telemetry: TelemetryReading;
  alert: Alert;
  reject: { reason: RejectReason; topic: string; detail: string };
  'pacs:probe': PacsProbeResult;
  'pacs:storage': PacsStorageSample;
  'pacs:derived': PacsDerived;
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
