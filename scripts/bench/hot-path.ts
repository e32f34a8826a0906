// The collector's per-message work without MQTT or InfluxDB: parse + validate a 10-sample telemetry message,
// build its line protocol and append it to a real spool, and then read the spool back as the drain does.
// CPU per point, for profiling and before/after comparisons of the ingest hot path (bench:ingest runs it
// first). Prints µs per point.
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
import { splitByLane } from '../../server/telemetry/drain-lanes.js';

export function hotPathMicroseconds(samples: number, metrics: number, messages = 20000): { acceptUs: number; readUs: number } {
  const defs = metricsFor('mri').slice(0, metrics);
  const base = Date.now() - 86400000;
  const payloads = Array.from({ length: 100 }, (_, m) => Buffer.from(JSON.stringify({
    samples: Array.from({ length: samples }, (_, j) => ({ ts: base + m * samples + j, metrics: Object.fromEntries(defs.map((d, k) => [d.name, Math.min(d.plausible[1], ((m + j + k) % 97) + 0.5)])) })),
  })));
  const dir = mkdtempSync(join(tmpdir(), 'hot-path-'));
  const spool = new Spool({ dir: join(dir, 'spool'), maxBytes: 1 << 30, fsyncIntervalMs: 1000 });
  const dead = new DeadLetterStore({ dir: join(dir, 'dead'), maxBytes: 1 << 20 });
  const pipeline = new TelemetryPipeline(spool, new EventBus(), new IngestMetrics(new Registry()), dead);
  const limits = { maxPayloadBytes: 1 << 20, maxSamplesPerMessage: 1000, maxFutureSkewMs: 60000, maxPastAgeMs: 30 * 86400000 };
  try {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < messages; i++) {
      const r = parseScannerMessage(`gantry/v1/bench/mri/s-${i % 100}/telemetry`, payloads[i % 100] as Buffer, limits);
      if (!r.ok) throw new Error(`rejected: ${r.detail}`);
      pipeline.accept(r);
    }
    const cpu1 = process.cpuUsage(cpu0);
    let from = spool.committed;
    for (let r = spool.read(from, 5000); r.lines > 0; r = spool.read(from, 5000)) { splitByLane(r.buf, 4); from = r.next; }
    const cpu2 = process.cpuUsage();
    const points = messages * samples;
    const us = (c: NodeJS.CpuUsage) => (c.user + c.system) / points;
    return { acceptUs: us(cpu1), readUs: us({ user: cpu2.user - cpu0.user - cpu1.user, system: cpu2.system - cpu0.system - cpu1.system }) };
  } finally {
    spool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('hot-path.ts')) {
  for (let run = 0; run < 3; run++) {
    const r = hotPathMicroseconds(Number(process.argv[2] ?? 10), 16);
    process.stdout.write(`hot path: parse+accept ${r.acceptUs.toFixed(2)} µs/point, spool read+lane split ${r.readUs.toFixed(2)} µs/point\n`);
  }
}
