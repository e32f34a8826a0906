// Bounded dead-letter store: every rejected message is kept (reason, topic, time, start of the payload) in
// two JSON-lines files in the data folder. When the current file reaches half the bound it becomes the
// previous one (replacing the older), so disk use stays under the bound and the newest rejects survive.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DeadLetter } from '../../contracts/index.js';

export interface DeadLetterOptions {
  dir: string;
  maxBytes: number;
  /** Bytes of payload kept per entry. */
  payloadBytes?: number;
}

export interface DeadLetterReader {
  list(limit?: number): DeadLetter[];
}

export class DeadLetterStore implements DeadLetterReader {
  private readonly current: string;
  private readonly previous: string;
  private size: number;

  constructor(private readonly opts: DeadLetterOptions) {
    mkdirSync(opts.dir, { recursive: true });
    this.current = join(opts.dir, 'dead-letters.jsonl');
    this.previous = join(opts.dir, 'dead-letters.1.jsonl');
    this.size = existsSync(this.current) ? statSync(this.current).size : 0;
  }

  add(reason: string, topic: string, detail: string, payload: Buffer, at = Date.now()): void {
    const keep = payload.subarray(0, this.opts.payloadBytes ?? 1024);
    const text = keep.toString('utf8');
    const binary = text.includes('\uFFFD') || keep.some((b) => b < 0x09 || (b > 0x0d && b < 0x20));
    const entry: DeadLetter = {
      at, reason, topic: topic.slice(0, 512), detail: detail.slice(0, 512), payloadBytes: payload.length,
      payload: binary ? keep.toString('base64') : text, encoding: binary ? 'base64' : 'utf8',
    };
    const line = `${JSON.stringify(entry)}\n`;
    if (this.size + line.length > this.opts.maxBytes / 2) {
      if (existsSync(this.current)) renameSync(this.current, this.previous);
      this.size = 0;
    }
    appendFileSync(this.current, line);
    this.size += Buffer.byteLength(line);
  }

  /** Newest first. */
  list(limit = 100): DeadLetter[] {
    const out: DeadLetter[] = [];
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
