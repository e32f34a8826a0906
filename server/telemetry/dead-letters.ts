// Bounded dead-letter store: every rejected message is kept (reason, topic, time, and the shape of the
// payload — keys, types and sizes, not its text) in two JSON-lines files in the data folder. When the current
// file reaches half the bound it becomes the previous one (replacing the older), so disk use stays under the
// bound and the newest rejects survive.
//
// Writes are queued and appended in batches off the ingest path: a device flooding rejects costs one small
// append per batch, not a synchronous write per message on the collector's only thread. Durability: a batch
// is appended within flushMs; close() flushes what is left.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { appendFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeadLetter } from '../../contracts/index.js';
import { scrubPatientText } from '../../lib/patient-text.js';
import { payloadShape } from './payload-shape.js';

const MAX_QUEUED = 10_000;

export interface DeadLetterOptions {
  dir: string;
  maxBytes: number;
  /** Keep the (scrubbed) start of the payload as well as its shape; off unless an admin turns it on. */
  capturePayload?: boolean;
  /** Bytes of payload kept per entry when capturing. */
  payloadBytes?: number;
  /** Longest a rejected message waits in memory before it is appended. */
  flushMs?: number;
  /** A batch could not be appended (disk full, say); it is dropped so the queue stays bounded. */
  onError?: (err: Error) => void;
}

export interface DeadLetterReader {
  list(limit?: number): DeadLetter[];
}

export class DeadLetterStore implements DeadLetterReader {
  private readonly current: string;
  private readonly previous: string;
  private size: number;
  private queue: DeadLetter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Entries not kept because the queue was full (the disk did not keep up). */
  dropped = 0;

  constructor(private readonly opts: DeadLetterOptions) {
    mkdirSync(opts.dir, { recursive: true });
    this.current = join(opts.dir, 'dead-letters.jsonl');
    this.previous = join(opts.dir, 'dead-letters.1.jsonl');
    this.size = existsSync(this.current) ? statSync(this.current).size : 0;
  }

  add(reason: string, topic: string, detail: string, payload: Buffer, at = Date.now()): void {
    // A flood faster than the disk: memory stays bounded; the entries are still counted by reason in /metrics.
    if (this.queue.length >= MAX_QUEUED) { this.dropped += 1; return; }
    this.queue.push(this.entry(reason, topic, detail, payload, at));
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush(); }, this.opts.flushMs ?? 100);
  }

  private entry(reason: string, topic: string, detail: string, payload: Buffer, at: number): DeadLetter {
    // The topic is chosen by the device; its levels may carry text like any payload.
    const base = { at, reason, topic: scrubPatientText(topic.slice(0, 512)).text, detail: detail.slice(0, 512), payloadBytes: payload.length, shape: payloadShape(payload) };
    if (!this.opts.capturePayload) return base;
    const text = payload.subarray(0, this.opts.payloadBytes ?? 1024).toString('utf8');
    if (text.includes('\uFFFD')) return base; // binary: its shape says so, and base64 would hide what a scrub cannot see
    return { ...base, payload: scrubPatientText(text).text };
  }

  /** Appends everything queued; resolves when it is on disk. Entries stay listed from the queue until then. */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.writing = this.writing.then(async () => {
      const batch = this.queue.slice();
      if (batch.length === 0) return;
      try { await this.append(batch); } catch (err) { this.opts.onError?.(err as Error); }
      this.queue.splice(0, batch.length);
    });
    return this.writing;
  }

  private async append(batch: DeadLetter[]): Promise<void> {
    const half = this.opts.maxBytes / 2;
    let chunk = '';
    for (const e of batch) {
      const line = `${JSON.stringify(e)}\n`;
      const bytes = Buffer.byteLength(line);
      if (this.size + bytes > half) {
        // The current file is full: write what fits, then it becomes the previous one.
        if (chunk) await appendFile(this.current, chunk);
        if (existsSync(this.current)) await rename(this.current, this.previous);
        this.size = 0;
        chunk = '';
      }
      chunk += line;
      this.size += bytes;
    }
    if (chunk) await appendFile(this.current, chunk);
  }

  close(): Promise<void> { return this.flush(); }

  /** Newest first, including those not yet appended. */
  list(limit = 100): DeadLetter[] {
    const out = this.queue.slice(-limit).reverse();
    for (const file of [this.current, this.previous]) {
      if (!existsSync(file)) continue;
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse();
      for (const l of lines) {
        if (out.length >= limit) return out;
        try { out.push(JSON.parse(l) as DeadLetter); } catch { /* a torn last line after a crash */ }
      }
    }
    return out;
  }
}
