// Typed in-process event bus. Producers (collectors, rule engine) and consumers (Socket.IO, metrics) meet
// here without knowing about each other; the map below is the only list of what travels on it.
//
// Two guarantees the ingest path relies on:
// - Isolation: a listener that throws is counted and reported, never propagated to the emitter or to the
//   other listeners. A throw inside the MQTT message handler would otherwise count an already-spooled
//   message as not durable, so the broker would redeliver it and every listener would see it twice.
// - `defer()`: the ingest path hands its events over *after* the spool append and returns at once, so the
//   PUBACK depends only on the spool; the listeners run on a later turn of the event loop, in bounded
//   slices, so MQTT I/O interleaves with a slow listener. Each listener's lag (event accepted → delivered)
//   is measured for /metrics.
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

export type BusEvent = keyof BusEvents;

/** What /metrics reports per listener. */
export interface ListenerStats {
  event: BusEvent;
  listener: string;
  delivered: number;
  errors: number;
  /** Time from a deferred event's acceptance to its delivery to this listener, last and worst seen. */
  lastLagMs: number;
  maxLagMs: number;
  /** Time spent inside this listener. */
  busyMs: number;
}

type Listener<K extends BusEvent> = (payload: BusEvents[K]) => void;
interface Subscription { name: string; fn: (payload: never) => void; stats: ListenerStats }
interface Deferred { event: BusEvent; payload: unknown; at: number }

/** Deferred events delivered per slice before yielding to I/O. */
const SLICE = 500;

export class EventBus {
  private readonly subs = new Map<BusEvent, Subscription[]>();
  private readonly queue: Deferred[] = [];
  private head = 0;
  private scheduled = false;
  private errorHandler: (err: unknown, event: BusEvent, listener: string) => void = () => undefined;

  /** Where listener errors are reported (the server logs them, throttled). */
  onListenerError(handler: (err: unknown, event: BusEvent, listener: string) => void): void {
    this.errorHandler = handler;
  }

  /** Delivers now, synchronously, to every listener (each isolated from the others). */
  emit<K extends BusEvent>(event: K, payload: BusEvents[K]): void {
    this.deliver(event, payload as never, undefined);
  }

  /** Queues for delivery on a later turn of the event loop: the caller returns before any listener runs. */
  defer<K extends BusEvent>(event: K, payload: BusEvents[K]): void {
    this.queue.push({ event, payload, at: performance.now() });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Deferred events not yet delivered. */
  pending(): number {
    return this.queue.length - this.head;
  }

  /** Subscribes and returns the function that unsubscribes. `name` labels the listener's metrics. */
  on<K extends BusEvent>(event: K, listener: Listener<K>, name = listener.name || 'anonymous'): () => void {
    const sub: Subscription = {
      name, fn: listener as (payload: never) => void,
      stats: { event, listener: name, delivered: 0, errors: 0, lastLagMs: 0, maxLagMs: 0, busyMs: 0 },
    };
    this.subs.set(event, [...(this.subs.get(event) ?? []), sub]);
    return () => this.subs.set(event, (this.subs.get(event) ?? []).filter((s) => s !== sub));
  }

  stats(): ListenerStats[] {
    return [...this.subs.values()].flat().map((s) => ({ ...s.stats }));
  }

  private flush(): void {
    const end = Math.min(this.queue.length, this.head + SLICE);
    while (this.head < end) {
      const d = this.queue[this.head++] as Deferred;
      this.deliver(d.event, d.payload as never, d.at);
    }
    if (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      this.scheduled = false;
    } else {
      setImmediate(() => this.flush());
    }
  }

  private deliver(event: BusEvent, payload: never, acceptedAt: number | undefined): void {
    // A copy of the list: a listener may unsubscribe (itself or another) while we iterate.
    for (const sub of this.subs.get(event) ?? []) {
      const start = performance.now();
      if (acceptedAt !== undefined) {
        const lag = start - acceptedAt;
        sub.stats.lastLagMs = lag;
        if (lag > sub.stats.maxLagMs) sub.stats.maxLagMs = lag;
      }
      try {
        sub.fn(payload);
        sub.stats.delivered++;
      } catch (err) {
        sub.stats.errors++;
        this.errorHandler(err, event, sub.name);
      }
      sub.stats.busyMs += performance.now() - start;
    }
  }
}
