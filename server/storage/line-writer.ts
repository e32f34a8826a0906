// POSTs ready-made line protocol bytes to InfluxDB's 1.x /write endpoint. The ingest drain reads its batches
// straight out of the spool as bytes; the client library's write API wants one string per line, which cost a
// string per line on read, a join and an encode per batch (the old drain loop was about a fifth of the
// collector's busy main-thread time in a --cpu-prof of bench:ingest). Batching, retries and back-off are the
// drain's job: this only sends one body, once.
import { constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { InfluxSettings } from './influx.js';

const gzipAsync = promisify(gzip);

/** How long one write may take before it counts as failed (the client library's default is 10 s). */
const WRITE_TIMEOUT_MS = 30_000;

/** InfluxDB answered a write with an error status (or did not answer: statusCode 0). */
export class InfluxWriteError extends Error {
  constructor(message: string, readonly statusCode: number, readonly body = '', readonly retryAfterMs = 0) {
    super(message);
    this.name = 'InfluxWriteError';
  }
}

export interface LineWriterOptions {
  /** Bodies of at least this many bytes are gzip-compressed (0: every body). */
  gzipThreshold: number;
}

export class LineWriter {
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(settings: InfluxSettings, private readonly opts: LineWriterOptions) {
    const q = new URLSearchParams({ db: settings.database, rp: settings.retentionPolicy, precision: 'ms' });
    this.url = `${settings.url.replace(/\/$/, '')}/write?${q.toString()}`;
    this.headers = { 'content-type': 'text/plain; charset=utf-8' };
    if (settings.username) {
      this.headers.authorization = `Basic ${Buffer.from(`${settings.username}:${settings.password ?? ''}`).toString('base64')}`;
    }
  }

  /** Writes one body of complete lines (ms precision); throws InfluxWriteError unless InfluxDB answered 204. */
  async write(body: Buffer, signal?: AbortSignal): Promise<void> {
    const zipped = body.length >= this.opts.gzipThreshold;
    // Level 1: on line protocol it compresses nearly as well as zlib's default level 6 (0.21 vs 0.18 of the
    // size) for a third of the CPU (2.0 vs 6.6 µs per 16-field point, scripts/bench/hot-path.ts), CPU that
    // a co-located InfluxDB would otherwise have.
    const payload = zipped ? await gzipAsync(body, { level: constants.Z_BEST_SPEED }) : body;
    const timeout = AbortSignal.timeout(WRITE_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST', body: payload, signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        headers: zipped ? { ...this.headers, 'content-encoding': 'gzip' } : this.headers,
      });
    } catch (err) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is in its cause.
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new InfluxWriteError(`InfluxDB unreachable: ${cause ?? (err as Error).message}`, 0);
    }
    if (res.status === 204) return;
    const text = await res.text().catch(() => '');
    const retryAfter = Number(res.headers.get('retry-after'));
    let detail = text;
    try { detail = (JSON.parse(text) as { error?: string }).error ?? text; } catch { /* plain text body */ }
    throw new InfluxWriteError(`InfluxDB answered ${res.status}: ${detail.slice(0, 300)}`, res.status, detail, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0);
  }
}
