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
  /** When present, a tick's readings go out together in one call (batch-mode clients). */
  sendMany?(readings: TelemetryReading[]): void;
  /** Called on each tick the target is writable, after its readings (batch-mode clients flush their scores). */
  tick?(): void;
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

  stop(): void { clearInterval(this.timer); this.pending.clear(); this.tickTargets.clear(); }

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

  /** Targets whose tick() runs on every flush, whether or not telemetry is pending for them. */
  private readonly tickTargets = new Map<string, CoalescerTarget>();
  onTick(target: CoalescerTarget): void { this.tickTargets.set(target.id, target); }

  forget(id: string): void { this.pending.delete(id); this.tickTargets.delete(id); }

  flush(): void {
    for (const [id, p] of this.pending) {
      if (!p.target.writable()) { this.deferred++; continue; }
      this.pending.delete(id);
      if (p.target.sendMany) p.target.sendMany([...p.readings.values()]);
      else for (const r of p.readings.values()) p.target.send(r);
    }
    for (const t of this.tickTargets.values()) if (t.writable()) t.tick?.();
  }
}
