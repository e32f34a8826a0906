// Live fleet telemetry. One socket subscription feeds a page-wide store (latest reading and a short history
// per scanner), so pages and tiles that mount later still get the recent trend, and a burst of readings
// (the whole fleet publishes in the same millisecond) becomes one render per animation frame.
import type { TelemetryReading } from '../../../contracts/telemetry.js';
import { getSocket } from './socket.js';

export const HISTORY_SAMPLES = 300;

export interface FleetSnapshot {
  readonly latest: ReadonlyMap<string, TelemetryReading>;
  /** Readings per scanner, oldest first, at most HISTORY_SAMPLES. */
  readonly history: ReadonlyMap<string, readonly TelemetryReading[]>;
}

type Listener = (snap: FleetSnapshot) => void;

const latest = new Map<string, TelemetryReading>();
const history = new Map<string, TelemetryReading[]>();
const listeners = new Set<Listener>();
let frame = 0;
let attached = false;

function publish(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const snap: FleetSnapshot = { latest: new Map(latest), history };
    for (const l of listeners) l(snap);
  });
}

/** Merges a reading; exported for tests of the store logic. */
export function applyReading(r: TelemetryReading): void {
  const prev = latest.get(r.scannerId);
  if (prev && prev.ts > r.ts) return; // a late sample must not roll the display back
  latest.set(r.scannerId, prev ? { ...r, metrics: { ...prev.metrics, ...r.metrics } } : r);
  const h = history.get(r.scannerId) ?? [];
  h.push(r);
  if (h.length > HISTORY_SAMPLES) h.splice(0, h.length - HISTORY_SAMPLES);
  history.set(r.scannerId, h);
}

function attach(): void {
  if (attached) return;
  attached = true;
  const s = getSocket();
  s.on('telemetry:snapshot', (readings) => { for (const r of readings) applyReading(r); publish(); });
  s.on('telemetry', (r) => { applyReading(r); publish(); });
}

export function subscribeFleetTelemetry(cb: Listener): () => void {
  attach();
  listeners.add(cb);
  cb({ latest: new Map(latest), history });
  return () => { listeners.delete(cb); };
}
