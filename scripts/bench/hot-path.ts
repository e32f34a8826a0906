// The collector's per-message work without MQTT or InfluxDB: parse + validate a 10-sample telemetry message,
// build its line protocol and append it to a real spool; read the spool back into HTTP bodies as the old
// drain did (a string per line) and as the lane drain does (bytes); gzip a body at level 6 and 1. CPU per
// point, for before/after comparisons of the ingest hot path: npx tsx scripts/bench/hot-path.ts [samples].
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricsFor } from '../../contracts/metric-catalog.js';
import { parseScannerMessage } from '../../collectors/scanner-telemetry/parse.js';
import { EventBus } from '../../lib/event-bus.js';
import { Registry } from 'prom-client';
import { IngestMetrics } from '../../server/telemetry/ingest-metrics.js';
import { TelemetryPipeline } from '../../server/telemetry/pipeline.js';
import { DeadLetterStore } from '../../server/telemetry/dead-letters.js';
import { Spool } from '../../server/telemetry/spool.js';
import { joinParts, splitByLane } from '../../server/telemetry/drain-lanes.js';
import { gzipSync } from 'node:zlib';
import { seededRandom } from '../../lib/random.js';

const cpuUs = (c: NodeJS.CpuUsage): number => c.user + c.system;

/** CPU µs per point of turning the spool into HTTP bodies: as the old drain did (a string per line, joined and encoded) and as bytes split by lane. */
function readPaths(spool: Spool, points: number): { stringsUs: number; bytesUs: number } {
  let c = process.cpuUsage();
  let bytes = 0;
  for (let from = spool.committed, r = spool.read(from, 5000); r.lines > 0; from = r.next, r = spool.read(from, 5000)) {
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < r.buf.length; i++) {
      if (r.buf[i] !== 0x0a) continue;
      lines.push(r.buf.toString('utf8', start, i));
      start = i + 1;
    }
    bytes += Buffer.from(lines.join('\n')).length;
  }
  const stringsUs = cpuUs(process.cpuUsage(c)) / points;
  c = process.cpuUsage();
  for (let from = spool.committed, r = spool.read(from, 5000); r.lines > 0; from = r.next, r = spool.read(from, 5000)) {
    for (const part of splitByLane(r.buf, 4)) if (part) bytes += joinParts([part]).length;
  }
  if (bytes === 0) throw new Error('nothing read');
  return { stringsUs, bytesUs: cpuUs(process.cpuUsage(c)) / points };
}

/** CPU µs per point of gzip at `level` on the first 5000 lines of the spool, and the compressed fraction. */
function gzipCost(spool: Spool, level: number): { us: number; ratio: number } {
  const r = spool.read(spool.committed, 5000);
  const c = process.cpuUsage();
  let size = 0;
  for (let i = 0; i < 10; i++) size = gzipSync(r.buf, { level }).length;
  return { us: cpuUs(process.cpuUsage(c)) / (10 * r.lines), ratio: size / r.buf.length };
}

export function hotPathMicroseconds(samples: number, metrics: number, messages = 20000): Record<string, number> {
  const defs = metricsFor('mri').slice(0, metrics);
  const base = Date.now() - 86400000;
  // Sensor-like values (3 decimals, noise) rather than a short cycle: gzip's cost and gain depend on them.
  const rand = seededRandom(7);
  const value = (lo: number, hi: number) => Math.round((lo + (Math.min(hi, lo + 200) - lo) * rand()) * 1000) / 1000;
  const payloads = Array.from({ length: 2000 }, (_, m) => Buffer.from(JSON.stringify({
    samples: Array.from({ length: samples }, (_, j) => ({ ts: base + m * samples + j, metrics: Object.fromEntries(defs.map((d) => [d.name, value(d.plausible[0], d.plausible[1])])) })),
  })));
  const dir = mkdtempSync(join(tmpdir(), 'hot-path-'));
  const spool = new Spool({ dir: join(dir, 'spool'), maxBytes: 1 << 30, fsyncIntervalMs: 1000 });
  const dead = new DeadLetterStore({ dir: join(dir, 'dead'), maxBytes: 1 << 20 });
  const pipeline = new TelemetryPipeline(spool, new EventBus(), new IngestMetrics(new Registry()), dead);
  const limits = { maxPayloadBytes: 1 << 20, maxSamplesPerMessage: 1000, maxFutureSkewMs: 60000, maxPastAgeMs: 30 * 86400000 };
  try {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < messages; i++) {
      const r = parseScannerMessage(`gantry/v1/bench/mri/s-${i % 100}/telemetry`, payloads[i % payloads.length] as Buffer, limits);
      if (!r.ok) throw new Error(`rejected: ${r.detail}`);
      pipeline.accept(r);
    }
    const points = messages * samples;
    const acceptUs = cpuUs(process.cpuUsage(cpu0)) / points;
    const read = readPaths(spool, points);
    const gz6 = gzipCost(spool, 6);
    const gz1 = gzipCost(spool, 1);
    return { acceptUs, readStringsUs: read.stringsUs, readBytesUs: read.bytesUs, gzip6Us: gz6.us, gzip6Ratio: gz6.ratio, gzip1Us: gz1.us, gzip1Ratio: gz1.ratio };
  } finally {
    spool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('hot-path.ts')) {
  for (let run = 0; run < 3; run++) {
    const r = hotPathMicroseconds(Number(process.argv[2] ?? 10), 16);
    const f = (v: number | undefined) => (v ?? NaN).toFixed(2);
    process.stdout.write(`hot path, CPU µs per point: parse+validate+line protocol+spool append ${f(r.acceptUs)}; spool → body as strings per line ${f(r.readStringsUs)}, as bytes in lanes ${f(r.readBytesUs)}; gzip level 6 ${f(r.gzip6Us)} (size ×${f(r.gzip6Ratio)}), level 1 ${f(r.gzip1Us)} (size ×${f(r.gzip1Ratio)})\n`);
  }
}
