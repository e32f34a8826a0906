// Live fleet telemetry. One socket subscription feeds a page-wide store (latest reading and a short history
// per scanner), so pages and tiles that mount later still get the recent trend. Publishing goes through the
// shared ticker (ticker.ts): a burst of readings (the whole fleet reports in the same instant) becomes one
// render, at most every PUBLISH_INTERVAL_MS.
//
// The snapshot hands out the store's own maps (no per-publish copy of 500 entries); what changes is the
// value inside: each reading and each history array is replaced, never mutated, so a memoised tile
// re-renders exactly when its scanner's data changed.
import type { TelemetryReading } from '../../../contracts/telemetry.js';
import { getSocket } from './socket.js';
import { ticker } from './ticker.js';

export const HISTORY_SAMPLES = 300;

export interface FleetSnapshot {
  readonly latest: ReadonlyMap<string, TelemetryReading>;
  /** Readings per scanner, oldest first, at most HISTORY_SAMPLES; a new array whenever one arrives. */
  readonly history: ReadonlyMap<string, readonly TelemetryReading[]>;
  /** Increases with every publish, so a snapshot is a new value for React even though the maps are shared. */
  readonly version: number;
}

type Listener = (snap: FleetSnapshot) => void;

const latest = new Map<string, TelemetryReading>();
const history = new Map<string, readonly TelemetryReading[]>();
const listeners = new Set<Listener>();
let version = 0;
let attached = false;

/** The store as it is now (pages get it through subscribeFleetTelemetry; exported for tests). */
export const snapshot = (): FleetSnapshot => ({ latest, history, version });

function flush(): void {
  version++;
  const snap = snapshot();
  for (const l of listeners) l(snap);
}

/** Merges a reading; exported for tests of the store logic. Returns false when it was older than the last one. */
export function applyReading(r: TelemetryReading): boolean {
  const prev = latest.get(r.scannerId);
  if (prev && prev.ts > r.ts) return false; // a late sample must not roll the display back
  latest.set(r.scannerId, prev ? { ...r, metrics: { ...prev.metrics, ...r.metrics } } : r);
  const h = history.get(r.scannerId) ?? [];
  history.set(r.scannerId, h.length >= HISTORY_SAMPLES ? [...h.slice(h.length - HISTORY_SAMPLES + 1), r] : [...h, r]);
  return true;
}

/** Empties the store (tests). */
export function resetTelemetryStore(): void {
  latest.clear();
  history.clear();
  ticker.forget(flush);
}

function attach(): void {
  if (attached) return;
  attached = true;
  const s = getSocket();
  const many = (readings: TelemetryReading[]) => { for (const r of readings) applyReading(r); ticker.request(flush); };
  s.on('telemetry:snapshot', many);
  s.on('telemetry:batch', many);
  s.on('telemetry', (r) => { if (applyReading(r)) ticker.request(flush); });
}

export function subscribeFleetTelemetry(cb: Listener): () => void {
  attach();
  listeners.add(cb);
  cb(snapshot());
  return () => {
    listeners.delete(cb);
    if (listeners.size === 0) ticker.forget(flush);
  };
}
