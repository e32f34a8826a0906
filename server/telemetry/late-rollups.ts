// Rollups for late data. The continuous queries only recompute recent intervals (the last 5 minutes for
// rollup_1m, 2 hours for rollup_1h), so data that reaches InfluxDB later — a backfill, a spool replayed after
// an outage, a gateway catching up — would be missing from the rollups that long-range charts read. The drain
// reports every written batch here; lines older than the CQ window widen a pending range, and a timer
// recomputes the rollups of that range (whole hours, a day per statement). Recomputing writes the same
// points again, so an hour whose data arrives in several parts ends up complete.
// At stop the pending range is saved to a small state file instead of being recomputed: recomputing a week of
// backfilled history takes InfluxDB tens of seconds, which held every shutdown hostage. The next start picks
// the range up from the file and recomputes it in the background.
import { rmSync } from 'node:fs';
import { readJsonFile, writeFileAtomicSync } from '../../lib/atomic-file.js';
import type { Logger } from '../../lib/logger.js';
import type { InfluxStore } from '../storage/influx.js';
import { rollupRange, type RollupSettings } from './rollups.js';
import { HOUR } from '../../contracts/units.js';

/** Lines older than this missed the 1-minute continuous query (RESAMPLE FOR 5m), with a minute of margin. */
const LATE_MS = 4 * 60_000;

export class LateRollups {
  private from = Infinity;
  private to = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** The range the running recompute works on, so a stop during it saves that range too. */
  private inFlight: { from: number; to: number } | undefined;
  private stopped = false;
  runs = 0;

  constructor(
    private readonly influx: InfluxStore,
    private readonly settings: RollupSettings,
    private readonly log: Logger,
    private readonly everyMs = 15_000,
    private readonly now: () => number = Date.now,
    /** Where stop() saves the range still to recompute; without it stop() recomputes before resolving. */
    private readonly stateFile?: string,
  ) {}

  start(): void {
    this.resume();
    this.timer = setInterval(() => { void this.run(); }, this.everyMs);
    this.timer.unref();
  }

  /** Line protocol just written to InfluxDB (ms timestamps, the last token of each line). */
  observe(lines: readonly string[]): void {
    this.observeBody(Buffer.from(`${lines.join('\n')}\n`));
  }

  /** Like observe(), for a body of line protocol as bytes (each line ending in a newline), as the drain writes it. */
  observeBody(body: Buffer): void {
    const late = this.now() - LATE_MS;
    for (let nl = body.indexOf(0x0a); nl >= 0; nl = body.indexOf(0x0a, nl + 1)) {
      // The timestamp is the digits before the newline.
      let ts = 0;
      let scale = 1;
      for (let i = nl - 1; i >= 0; i--) {
        const c = body[i] as number;
        if (c < 0x30 || c > 0x39) break;
        ts += (c - 0x30) * scale;
        scale *= 10;
      }
      if (scale === 1 || !(ts < late)) continue; // no timestamp: nothing to widen the range with
      if (ts < this.from) this.from = ts;
      if (ts > this.to) this.to = ts;
    }
  }

  /** Recomputes the rollups of the pending range now; resolves when done (also used at stop and by tests). */
  run(): Promise<void> {
    this.running ??= this.rollup().finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Saves what is still to recompute (pending and in flight) and returns at once; see the file comment. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (!this.stateFile) {
      await this.run();
      return;
    }
    this.stopped = true;
    if (this.inFlight) this.widen(this.inFlight.from, this.inFlight.to - 1);
    if (this.from > this.to) return;
    writeFileAtomicSync(this.stateFile, JSON.stringify({ from: this.from, to: this.to }));
    this.log.info({ from: new Date(this.from).toISOString(), to: new Date(this.to).toISOString() }, 'late-data rollups saved for the next start');
  }

  /** Takes over the range a previous run saved at its stop. */
  private resume(): void {
    if (!this.stateFile) return;
    const saved = readJsonFile(this.stateFile) as { from?: unknown; to?: unknown } | undefined;
    rmSync(this.stateFile, { force: true });
    if (typeof saved?.from === 'number' && typeof saved.to === 'number') this.widen(saved.from, saved.to);
  }

  private widen(from: number, to: number): void {
    this.from = Math.min(this.from, from);
    this.to = Math.max(this.to, to);
  }

  private async rollup(): Promise<void> {
    if (this.from > this.to || this.stopped) return;
    const from = Math.floor(this.from / HOUR) * HOUR;
    const to = Math.floor(this.to / HOUR) * HOUR + HOUR;
    this.from = Infinity;
    this.to = -Infinity;
    this.inFlight = { from, to };
    try {
      await rollupRange(this.influx, this.settings, from, to);
      this.runs += 1;
      this.log.info({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }, 'rollups recomputed for late data');
    } catch (err) {
      // Keep the range: the next run retries it (InfluxDB may be down, the data is safe in raw anyway).
      this.widen(from, to - 1);
      // Cut off by a stop (InfluxDB goes down after us): the range is already saved, nothing to report.
      if (!this.stopped) this.log.warn({ err: (err as Error).message }, 'rollups for late data failed; will retry');
    } finally {
      this.inFlight = undefined;
    }
  }
}
