// Copies the spool to InfluxDB in order, one batch at a time, and advances the spool cursor only after
// InfluxDB answered success. While InfluxDB is down the loop backs off (honouring Retry-After through the
// client's getRetryDelay) and the spool absorbs the backlog.
//
// A 400 answer is not an outage but a verdict on the data (a field type conflict, a point outside the
// retention): InfluxDB 1.x has already written the valid points of the batch, and retrying would block the
// spool forever. Such a batch is reported (dead letters, counter) and the cursor moves on.
import { getRetryDelay, HttpError, type WriteApi } from '@influxdata/influxdb-client';
import type { Logger } from '../../lib/logger.js';
import type { Spool } from './spool.js';

export interface DrainOptions {
  batchSize: number;
  flushIntervalMs: number;
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Consecutive failed attempts tolerated silently before the drain reports itself degraded. */
  maxRetries?: number;
}

export interface DrainStats {
  onWritten(lines: readonly string[], seconds: number): void;
  onWriteError(): void;
  onRejected(lines: string[], message: string): void;
}

export class InfluxDrain {
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private failures = 0;
  private lastError = '';
  private justFlushed = false;

  constructor(
    private readonly spool: Spool,
    /** Must be created with maxRetries 0 and flushInterval 0: retries and batching are this loop's job. */
    private readonly writeApi: WriteApi,
    private readonly opts: DrainOptions,
    private readonly log: Logger,
    private readonly stats: DrainStats,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Hint that new lines were appended; the loop still flushes at least every flushIntervalMs. */
  notify(): void {
    this.wake?.();
  }

  /** True while writes to InfluxDB are failing. */
  get degraded(): boolean { return this.failures > (this.opts.maxRetries ?? 0); }
  get lastWriteError(): string { return this.lastError; }

  /** Stops after writing what is pending, or after `timeoutMs` (what is left stays in the spool). */
  async stop(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running && this.spool.pendingBytes() > 0 && this.failures === 0 && Date.now() < deadline) {
      this.notify();
      await new Promise((r) => setTimeout(r, 20));
    }
    this.running = false;
    this.notify();
    await this.loop;
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => { this.wake = undefined; resolve(); }, ms);
      this.wake = () => { clearTimeout(t); this.wake = undefined; resolve(); };
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      const { lines, next } = this.spool.peek(this.opts.batchSize);
      if (lines.length === 0) { await this.sleep(this.opts.flushIntervalMs); continue; }
      // A small batch waits one flush interval for company, so a steady trickle is written in batches.
      if (lines.length < this.opts.batchSize && this.failures === 0 && !this.justFlushed) {
        this.justFlushed = true;
        await this.sleep(this.opts.flushIntervalMs);
        continue;
      }
      this.justFlushed = false;
      const started = performance.now();
      try {
        this.writeApi.writeRecords(lines);
        await this.writeApi.flush();
        this.spool.commit(next);
        this.stats.onWritten(lines, (performance.now() - started) / 1000);
        if (this.failures > 0) this.log.info({ after: this.failures }, 'InfluxDB writes recovered; draining spool');
        this.failures = 0;
        this.lastError = '';
      } catch (err) {
        if (err instanceof HttpError && err.statusCode === 400) {
          this.stats.onRejected(lines, err.body || err.message);
          this.log.error({ err: (err.body || err.message).slice(0, 500), lines: lines.length }, 'InfluxDB refused part of a batch; the valid points were written, the batch is kept as a dead letter');
          this.spool.commit(next);
          continue;
        }
        this.failures += 1;
        this.lastError = (err as Error).message;
        this.stats.onWriteError();
        const base = Math.min(this.opts.maxRetryDelayMs ?? 10000, (this.opts.minRetryDelayMs ?? 250) * 2 ** Math.min(this.failures - 1, 10));
        const delay = Math.max(base, getRetryDelay(err as Error, 0));
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.log.warn({ err: this.lastError, failures: this.failures, retryInMs: Math.round(delay), pendingBytes: this.spool.pendingBytes() }, 'InfluxDB write failed; data kept in spool');
        }
        await this.sleep(delay);
      }
    }
  }
}
