// Copies the spool to InfluxDB with several writes in flight, and advances the spool cursor only past data
// InfluxDB has acknowledged. While InfluxDB is down the lanes back off (honouring Retry-After) and the spool
// absorbs the backlog; a killed process resumes from the cursor and rewrites what was in flight, which is
// harmless (the same series + timestamp is the same point).
//
// A reader reads chunks ahead of the cursor (bounded: 2 per lane) and splits each into lanes by series
// (drain-lanes.ts). Each lane writes its parts in order, merging queued parts up to batchSize lines per
// write, so one series' points are never reordered while lanes run side by side. A chunk is done when all
// its parts are written; the cursor moves over the contiguous run of done chunks from the oldest, so a lane
// that is behind holds the cursor back and nothing past it is dropped from the spool.
//
// A serial drain waited on each write: neither the collector nor InfluxDB was busy (0.42 and 0.5 cores on
// bench:ingest) while the backlog grew. Concurrent writes let InfluxDB use its cores.
//
// A 400 answer is not an outage but a verdict on the data (a field type conflict, a point outside the
// retention): InfluxDB 1.x has already written the valid points of the body, and retrying would block the
// lane forever. Such a body is reported (dead letters, counter) and counts as done.
import type { Logger } from '../../lib/logger.js';
import { InfluxWriteError } from '../storage/line-writer.js';
import { joinParts, splitByLane, type LanePart } from './drain-lanes.js';
import type { Spool, SpoolCursor } from './spool.js';

export interface DrainOptions {
  batchSize: number;
  flushIntervalMs: number;
  /** Writes in flight at once (lanes); 1 is a serial drain. */
  concurrency?: number;
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Consecutive failed attempts tolerated silently before the drain reports itself degraded. */
  maxRetries?: number;
}

export interface DrainStats {
  onWritten(lines: number, seconds: number, body: Buffer): void;
  onWriteError(): void;
  onRejected(lines: number, body: Buffer, message: string): void;
}

/** Sends one body of complete lines; throws (an InfluxWriteError for an HTTP answer) unless it was stored. */
export interface BodyWriter {
  write(body: Buffer, signal?: AbortSignal): Promise<void>;
}

/** A run of spool lines read ahead; done when `left` (its lane parts not yet written) reaches 0. */
interface Chunk { end: SpoolCursor; left: number }
interface Queued { chunk: Chunk; part: LanePart }

export class InfluxDrain {
  private running = false;
  private loops: Promise<void>[] = [];
  private lanes: Queued[][] = [];
  /** Chunks read and not yet committed, oldest first. */
  private window: Chunk[] = [];
  private readPos: SpoolCursor = { segment: 0, offset: 0 };
  private failures = 0;
  private lastError = '';
  private abort = new AbortController();
  /** Sleepers woken by progress (a chunk read, a part written) and those woken only by stop(). */
  private readonly onProgress = new Set<() => void>();
  private readonly onStop = new Set<() => void>();

  constructor(
    private readonly spool: Spool,
    private readonly writer: BodyWriter,
    private readonly opts: DrainOptions,
    private readonly log: Logger,
    private readonly stats: DrainStats,
  ) {}

  private get concurrency(): number { return Math.max(1, this.opts.concurrency ?? 1); }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.readPos = this.spool.committed;
    this.window = [];
    this.lanes = Array.from({ length: this.concurrency }, () => []);
    this.loops = [this.reader(), ...this.lanes.map((q) => this.lane(q))];
  }

  /** Hint that new lines were appended; the reader still looks at least every flushIntervalMs. */
  notify(): void {
    for (const wake of [...this.onProgress]) wake();
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
    // Writes still in flight are abandoned: they stay in the spool and are written again on the next start.
    this.abort.abort();
    for (const wake of [...this.onProgress, ...this.onStop]) wake();
    await Promise.all(this.loops);
  }

  private sleep(ms: number, wakeOnProgress = true): Promise<void> {
    return new Promise((resolve) => {
      const set = wakeOnProgress ? this.onProgress : this.onStop;
      const done = () => { clearTimeout(timer); set.delete(done); resolve(); };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private async reader(): Promise<void> {
    let waited = false;
    while (this.running) {
      if (this.window.length >= 2 * this.concurrency) { await this.sleep(this.opts.flushIntervalMs); continue; }
      const r = this.spool.read(this.readPos, this.opts.batchSize);
      if (r.lines === 0) { await this.sleep(this.opts.flushIntervalMs); continue; }
      if (r.lines < this.opts.batchSize && r.atEnd && this.failures === 0) {
        // Writes in flight: more lines gather meanwhile; read again when one finishes.
        if (this.window.length > 0) { await this.sleep(this.opts.flushIntervalMs); continue; }
        // A small chunk waits one flush interval for company, so a steady trickle is written in batches.
        if (!waited) { waited = true; await this.sleep(this.opts.flushIntervalMs, false); continue; }
      }
      waited = false;
      const chunk: Chunk = { end: r.next, left: 0 };
      splitByLane(r.buf, this.lanes.length).forEach((part, i) => {
        if (!part) return;
        (this.lanes[i] as Queued[]).push({ chunk, part });
        chunk.left++;
      });
      this.window.push(chunk);
      this.readPos = r.next;
      this.notify();
    }
  }

  private async lane(queue: Queued[]): Promise<void> {
    while (this.running) {
      if (queue.length === 0) { await this.sleep(this.opts.flushIntervalMs); continue; }
      // Queued parts of later chunks join the write, up to batchSize lines.
      let take = 1;
      let lines = (queue[0] as Queued).part.lines;
      for (; take < queue.length; take++) {
        const more = (queue[take] as Queued).part.lines;
        if (lines + more > this.opts.batchSize) break;
        lines += more;
      }
      const batch = queue.slice(0, take);
      if (!(await this.write(joinParts(batch.map((q) => q.part)), lines))) return;
      queue.splice(0, take);
      for (const q of batch) q.chunk.left--;
      this.advance();
      this.notify();
    }
  }

  /** Commits the spool over the done chunks at the head of the window. */
  private advance(): void {
    let end: SpoolCursor | undefined;
    while (this.window.length > 0 && (this.window[0] as Chunk).left === 0) end = (this.window.shift() as Chunk).end;
    if (end) this.spool.commit(end);
  }

  /** Writes one body until InfluxDB stored or refused it; false when stopped first. */
  private async write(body: Buffer, lines: number): Promise<boolean> {
    while (this.running) {
      const started = performance.now();
      try {
        await this.writer.write(body, this.abort.signal);
        this.stats.onWritten(lines, (performance.now() - started) / 1000, body);
        if (this.failures > 0) this.log.info({ after: this.failures }, 'InfluxDB writes recovered; draining spool');
        this.failures = 0;
        this.lastError = '';
        return true;
      } catch (err) {
        if (!this.running) return false;
        if (err instanceof InfluxWriteError && err.statusCode === 400) {
          this.stats.onRejected(lines, body, err.body || err.message);
          this.log.error({ err: (err.body || err.message).slice(0, 500), lines }, 'InfluxDB refused part of a batch; the valid points were written, the batch is kept as a dead letter');
          return true;
        }
        await this.backOff(err as Error);
      }
    }
    return false;
  }

  private async backOff(err: Error): Promise<void> {
    this.failures += 1;
    this.lastError = err.message;
    this.stats.onWriteError();
    const base = Math.min(this.opts.maxRetryDelayMs ?? 10000, (this.opts.minRetryDelayMs ?? 250) * 2 ** Math.min(this.failures - 1, 10));
    const delay = Math.max(base, err instanceof InfluxWriteError ? err.retryAfterMs : 0);
    if (this.failures === 1 || this.failures % 20 === 0) {
      this.log.warn({ err: this.lastError, failures: this.failures, retryInMs: Math.round(delay), pendingBytes: this.spool.pendingBytes() }, 'InfluxDB write failed; data kept in spool');
    }
    await this.sleep(delay, false);
  }
}
