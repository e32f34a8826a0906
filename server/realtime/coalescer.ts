// Per-client telemetry coalescing. Readings for a client are merged per scanner and sent on a fixed tick, so a
// client receives at most one update per scanner per tick. A client whose transport is still busy with the
// previous write (slow network, a tab that stopped reading) is skipped: its pending map keeps only the newest
// state, so memory stays bounded by fleet size and neither ingest nor other clients ever wait for it.
import type { TelemetryReading } from '../../contracts/index.js';

export interface CoalescerTarget {
  id: string;
  /** False while the previous write is not yet flushed to the network. */
  writable(): boolean;
  send(reading: TelemetryReading): void;
}

export class TelemetryCoalescer {
  private readonly pending = new Map<string, { target: CoalescerTarget; readings: Map<string, TelemetryReading> }>();
  private timer: NodeJS.Timeout | undefined;
  merged = 0;
  deferred = 0;

  constructor(private readonly tickMs: number) {}

  start(): void {
    this.timer = setInterval(() => this.flush(), this.tickMs);
    this.timer.unref();
  }

  stop(): void { clearInterval(this.timer); this.pending.clear(); }

  push(target: CoalescerTarget, r: TelemetryReading): void {
    let p = this.pending.get(target.id);
    if (!p) { p = { target, readings: new Map() }; this.pending.set(target.id, p); }
    const prev = p.readings.get(r.scannerId);
    if (prev) {
      this.merged++;
      if (prev.ts > r.ts) { p.readings.set(r.scannerId, { ...r, ts: prev.ts, metrics: { ...r.metrics, ...prev.metrics } }); return; }
      p.readings.set(r.scannerId, { ...r, metrics: { ...prev.metrics, ...r.metrics } });
    } else p.readings.set(r.scannerId, r);
  }

  forget(id: string): void { this.pending.delete(id); }

  flush(): void {
    for (const [id, p] of this.pending) {
      if (!p.target.writable()) { this.deferred++; continue; }
      this.pending.delete(id);
      for (const r of p.readings.values()) p.target.send(r);
    }
  }
}
