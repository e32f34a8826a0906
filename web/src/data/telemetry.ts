import type { TelemetryReading } from '../../../contracts/telemetry';
import { getSocket } from './socket';

/** Latest reading per scanner: the snapshot on (re)connect, then every live reading. */
export function subscribeFleetTelemetry(cb: (latest: ReadonlyMap<string, TelemetryReading>) => void): () => void {
  const s = getSocket();
  const latest = new Map<string, TelemetryReading>();
  let frame = 0;
  // Coalesce bursts (a whole fleet publishes in the same millisecond) into one render per animation frame.
  const publish = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => { frame = 0; cb(new Map(latest)); });
  };
  const onSnapshot = (readings: TelemetryReading[]) => {
    for (const r of readings) latest.set(r.scannerId, r);
    publish();
  };
  const onReading = (r: TelemetryReading) => {
    const prev = latest.get(r.scannerId);
    latest.set(r.scannerId, prev ? { ...r, metrics: { ...prev.metrics, ...r.metrics } } : r);
    publish();
  };
  s.on('telemetry:snapshot', onSnapshot);
  s.on('telemetry', onReading);
  return () => {
    s.off('telemetry:snapshot', onSnapshot);
    s.off('telemetry', onReading);
    if (frame) cancelAnimationFrame(frame);
  };
}
