// Parts of bench:ingest that do not touch MQTT: the raw InfluxDB write ceiling, the wait for the collector's
// spool to drain, and clean-up of the private services on exit or a signal.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Raw InfluxDB write rate: `points` points of the same shape POSTed straight to /write in batches of
 * `batchLines`, `concurrency` at a time. Batches are formatted as the writers ask for them, never all at once
 * (2.5 M points of line protocol ran out of heap), and outside a batch's clock: the figure is the database's
 * write rate. `line(i)` gives the i-th point's line.
 */
export async function rawCeiling(url: string, db: string, points: number, concurrency: number, batchLines: number, line: (i: number) => string): Promise<number> {
  await fetch(`${url}/query?q=${encodeURIComponent(`CREATE DATABASE ${db}`)}`, { method: 'POST' });
  let next = 0;
  let writing = 0;
  const nextBatch = (): string | undefined => {
    if (next >= points) return undefined;
    const lines: string[] = [];
    for (const end = Math.min(points, next + batchLines); next < end; next++) lines.push(line(next));
    return lines.join('\n');
  };
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let b = nextBatch(); b !== undefined; b = nextBatch()) {
      const t = performance.now();
      const res = await fetch(`${url}/write?db=${db}&precision=ms`, { method: 'POST', body: b });
      writing += performance.now() - t;
      if (res.status !== 204) throw new Error(`raw write: ${res.status} ${await res.text()}`);
    }
  }));
  // Writers overlap, so the wall time of writing is the summed write time over the concurrency.
  return points / (writing / concurrency / 1000);
}

/**
 * Bytes accepted into the collector's spool and not yet written to InfluxDB, read from the spool's files
 * (segments seg-*.lp, cursor.json: see server/telemetry/spool.ts). Polling this instead of counting points
 * in InfluxDB matters: a count over a million points every 200 ms took InfluxDB CPU from the writes it measures.
 */
export function spoolPending(dir: string): number {
  let cursor = { segment: 0, offset: 0 };
  try { cursor = JSON.parse(readFileSync(join(dir, 'cursor.json'), 'utf8')) as typeof cursor; } catch { /* nothing committed yet */ }
  let total = 0;
  for (const f of readdirSync(dir)) {
    const m = /^seg-(\d+)\.lp$/.exec(f);
    if (!m || Number(m[1]) < cursor.segment) continue;
    try { total += statSync(join(dir, f)).size; } catch { /* deleted meanwhile */ }
  }
  return Math.max(0, total - cursor.offset);
}

/** Runs `cleanup` once: at the end of main, or on SIGINT / SIGTERM (then exits 130 / 143). */
export function onceCleanup(cleanup: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const run = () => { done ??= cleanup(); return done; };
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n[bench] ${sig}: stopping the private services…\n`);
      void run().finally(() => process.exit(code));
    });
  }
  return run;
}
