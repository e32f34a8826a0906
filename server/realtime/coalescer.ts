// Per-client telemetry rate limit. For a client that takes single events, the first reading of a scanner
// goes out at once (a tile moves as soon as the data is durable, not on the next tick); further readings of
// that scanner within the same interval are merged and sent by the tick once the interval has passed, so a
// client receives at most about one update per scanner per interval. A batch-mode client gets everything due
// in one message per tick instead (one message beats many small ones for a browser at fleet scale). A client
// whose transport is still busy with the previous write (slow network, a tab that stopped reading) is
// skipped: its pending map keeps only the newest state, so memory stays bounded by fleet size and neither
// ingest nor other clients ever wait for it.
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

interface ClientState { target: CoalescerTarget; readings: Map<string, TelemetryReading>; sentAt: Map<string, number> }

// setInterval fires a few ms early or late; a merged reading due "now" must not wait a whole extra tick.
const TIMER_SLACK = 0.9;

export class TelemetryCoalescer {
  private readonly clients = new Map<string, ClientState>();
  /** Targets whose tick() runs on every flush, whether or not telemetry is pending for them. */
  private readonly tickTargets = new Map<string, CoalescerTarget>();
  private timer: NodeJS.Timeout | undefined;
  merged = 0;
  deferred = 0;

  constructor(private readonly intervalMs: number, private readonly now: () => number = Date.now) {}

  start(): void {
    // Ticks at half the interval, so a merged reading waits at most about half an interval past its due time.
    this.timer = setInterval(() => this.flush(), Math.max(5, Math.round(this.intervalMs / 2)));
    this.timer.unref();
  }

  stop(): void { clearInterval(this.timer); this.clients.clear(); this.tickTargets.clear(); }

  onTick(target: CoalescerTarget): void { this.tickTargets.set(target.id, target); }

  push(target: CoalescerTarget, r: TelemetryReading): void {
    let c = this.clients.get(target.id);
    if (!c) { c = { target, readings: new Map(), sentAt: new Map() }; this.clients.set(target.id, c); }
    const prev = c.readings.get(r.scannerId);
    if (!prev) {
      const now = this.now();
      if (!target.sendMany && now - (c.sentAt.get(r.scannerId) ?? -Infinity) >= this.intervalMs * TIMER_SLACK && target.writable()) {
        c.sentAt.set(r.scannerId, now);
        target.send(r);
        return;
      }
      c.readings.set(r.scannerId, r);
      return;
    }
    this.merged++;
    if (prev.ts > r.ts) { c.readings.set(r.scannerId, { ...r, ts: prev.ts, metrics: { ...r.metrics, ...prev.metrics } }); return; }
    c.readings.set(r.scannerId, { ...r, metrics: { ...prev.metrics, ...r.metrics } });
  }

  forget(id: string): void { this.clients.delete(id); this.tickTargets.delete(id); }

  flush(): void {
    const now = this.now();
    for (const c of this.clients.values()) {
      if (c.readings.size === 0) continue;
      if (!c.target.writable()) { this.deferred++; continue; }
      const due: TelemetryReading[] = [];
      for (const [scannerId, r] of c.readings) {
        if (now - (c.sentAt.get(scannerId) ?? -Infinity) < this.intervalMs * TIMER_SLACK) continue;
        c.readings.delete(scannerId);
        c.sentAt.set(scannerId, now);
        due.push(r);
      }
      if (due.length === 0) continue;
      if (c.target.sendMany) c.target.sendMany(due);
      else for (const r of due) c.target.send(r);
    }
    for (const t of this.tickTargets.values()) if (t.writable()) t.tick?.();
  }
}
