// npm run bench:ingest -- [--scanners 100] [--metrics 16] [--samples-per-message 10] [--seconds 20]
//   [--connections 1] [--publishers 2] [--raw-concurrency 2] [--batch-size 5000] [--gzip-threshold 65536]
// N simulated scanners × M metrics through a private Mosquitto into the stand-alone collector process
// (server/telemetry/collector-process.ts: the same ingest path as the server) and a private InfluxDB. Prints
// sustained points/s (phase 1: as fast as the broker acknowledges, published → all queryable), then
// publish-to-queryable latency p50/p99 of probe samples sent during phase 2, a paced load at half that rate
// (latency at saturation only measures the backlog), CPU and memory of the collector and influxd, and in the same run the raw InfluxDB ceiling
// (the same line protocol POSTed straight to /write) with the ratio Gantry/raw. Saves JSON in bench-results/.
import type { ChildProcess } from 'node:child_process';
import { spawnGuarded } from '../server/services/process-guard.js';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli } from '../lib/cli-args.js';
import mqtt, { type MqttClient } from 'mqtt';
import { metricsFor } from '../contracts/metric-catalog.js';
import { sleep } from '../lib/net.js';
import { startPrivateInfluxd } from '../server/services/private-influxd.js';
import { startPrivateMosquitto } from '../server/services/private-mosquitto.js';
import { InfluxStore } from '../server/storage/influx.js';
import { readingToLine } from '../server/telemetry/line-protocol.js';
import { findPid, percentile, ProcWatch, round } from './bench/proc-stats.js';

const spec = {
  command: 'npm run bench:ingest --',
  summary: 'MQTT -> spool -> InfluxDB ingest throughput and latency beside raw baselines.',
  options: {
  'scanners': { type: 'string', default: '100', description: 'scanners' }, 'metrics': { type: 'string', default: '16', description: 'metrics' }, 'samples-per-message': { type: 'string', default: '10', description: 'samples per message' },
  'seconds': { type: 'string', default: '20', description: 'seconds' }, 'connections': { type: 'string', default: '1', description: 'connections' }, 'publishers': { type: 'string', default: '2', description: 'publishers' },
  'raw-concurrency': { type: 'string', default: '2', description: 'raw concurrency' }, 'in-flight': { type: 'string', default: '100', description: 'in flight' },
  'batch-size': { type: 'string', default: '5000', description: 'batch size' }, 'latency-seconds': { type: 'string', default: '15', description: 'latency seconds' }, 'latency-load': { type: 'string', default: '0.5', description: 'latency load' }, 'gzip-threshold': { type: 'string', default: '65536', description: 'gzip threshold' },
  },
} as const;
const { values: a } = parseCli(spec);
const N = Number(a.scanners);
const names = metricsFor('mri').map((m) => m.name).slice(0, Number(a.metrics));
const M = names.length;
const B = Number(a['samples-per-message']);
const SECONDS = Number(a.seconds);
const say = (s: string) => process.stdout.write(`${s}\n`);

const tmp = join(process.cwd(), '.tmp', `bench-ingest-${process.pid}`);
const base = Date.now() - 86400000; // a day ago: inside retention, never in the future

function body(scanner: number, first: number): string {
  const parts: string[] = [];
  for (let j = 0; j < B; j++) {
    const i = first + j;
    parts.push(`{"ts":${base + i},"metrics":{${names.map((n, k) => `"${n}":${(i + k) % 97 + 0.5}`).join(',')}}}`);
  }
  return `{"samples":[${parts.join(',')}]}`;
}

const next = new Map<number, number>();

/** Publishes batches round-robin until `until`; `pointsPerSecond` paces it (0: as fast as acknowledged). */
async function publishLoad(url: string, client: number, scanners: number[], until: number, pointsPerSecond = 0): Promise<number> {
  const c = await mqtt.connectAsync(url, { clientId: `bench-pub-${client}`, clean: true });
  const window = Number(a['in-flight']);
  const pending = new Set<Promise<unknown>>();
  let points = 0;
  const t0 = Date.now();
  while (Date.now() < until) {
    for (const s of scanners) {
      while (pending.size >= window) await Promise.race(pending);
      if (pointsPerSecond > 0) {
        const due = t0 + (points / pointsPerSecond) * 1000;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      const first = next.get(s) ?? 0;
      next.set(s, first + B);
      const p = c.publishAsync(`gantry/v1/bench/mri/s-${s}/telemetry`, body(s, first), { qos: 1 });
      pending.add(p);
      void p.finally(() => pending.delete(p));
      points += B;
    }
  }
  await Promise.all(pending);
  await c.endAsync();
  return points;
}

/** Probe samples published during the load; their publish → queryable time is the latency. */
async function probeLatency(client: MqttClient, influx: InfluxStore, until: number, everyMs: number): Promise<number[]> {
  const published: number[] = [];
  const latencies: number[] = [];
  const timer = setInterval(() => {
    if (Date.now() > until) return;
    const ts = Date.now();
    published.push(performance.now());
    void client.publishAsync('gantry/v1/bench/mri/probe/telemetry', JSON.stringify({ ts, metrics: { [names[0] as string]: 1 } }), { qos: 1 });
  }, everyMs);
  let seen = 0;
  const deadline = until + 120000;
  while (Date.now() < deadline) {
    const res = await influx.query(`SELECT count("${names[0]}") FROM "telemetry" WHERE "scanner" = 'probe'`).catch(() => []);
    const count = Number(res[0]?.[0]?.values[0]?.[1] ?? 0);
    const now = performance.now();
    for (; seen < Math.min(count, published.length); seen++) latencies.push(now - (published[seen] as number));
    if (Date.now() > until && seen >= published.length) break;
    await sleep(25);
  }
  clearInterval(timer);
  return latencies.sort((x, y) => x - y);
}

async function countAll(influx: InfluxStore, db: string): Promise<number> {
  const res = await influx.query(`SELECT count("${names[0]}") FROM "telemetry" WHERE "scanner" != 'probe'`, db);
  return Number(res[0]?.[0]?.values[0]?.[1] ?? 0);
}

async function rawCeiling(url: string, points: number, concurrency: number): Promise<number> {
  await fetch(`${url}/query?q=${encodeURIComponent('CREATE DATABASE bench_raw')}`, { method: 'POST' });
  const perScanner = Math.ceil(points / N);
  // Batches are formatted as the writers ask for them, never all at once: at tens of thousands of points/s
  // the whole run's line protocol does not fit in the heap (2.5 M points ran out of it). Formatting is done
  // before a batch's clock starts, so the raw figure stays the database's write rate.
  let s = 0;
  let i = 0;
  let written = 0;
  let writing = 0;
  const nextBatch = (): string | undefined => {
    const lines: string[] = [];
    while (lines.length < 5000 && s < N) {
      const metrics: Record<string, number> = {};
      names.forEach((n, k) => { metrics[n] = (i + k) % 97 + 0.5; });
      lines.push(readingToLine({ site: 'bench', modality: 'mri', scannerId: `s-${s}`, ts: base + i, metrics }));
      if (++i >= perScanner) { i = 0; s++; }
    }
    written += lines.length;
    return lines.length > 0 ? lines.join('\n') : undefined;
  };
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let b = nextBatch(); b !== undefined; b = nextBatch()) {
      const t = performance.now();
      const res = await fetch(`${url}/write?db=bench_raw&precision=ms`, { method: 'POST', body: b });
      writing += performance.now() - t;
      if (res.status !== 204) throw new Error(`raw write: ${res.status} ${await res.text()}`);
    }
  }));
  // Writers overlap, so the wall time of writing is the summed write time over the concurrency.
  return written / (writing / concurrency / 1000);
}

function startCollector(mqttUrl: string, influxUrl: string): Promise<ChildProcess> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  Object.assign(env, {
    GANTRY_MQTT_URL: mqttUrl, GANTRY_INFLUX_URL: influxUrl, GANTRY_DATA_DIR: join(tmp, 'collector'), GANTRY_LOG_LEVEL: 'warn',
    GANTRY_MQTT_COLLECTOR_CONNECTIONS: a.connections, GANTRY_MQTT_CLIENT_ID: 'bench-collector', GANTRY_INGEST_MAX_SAMPLES_PER_MESSAGE: '1000',
    GANTRY_INFLUX_BATCH_SIZE: a['batch-size'], GANTRY_INFLUX_GZIP_THRESHOLD: a['gzip-threshold'],
  });
  const child = spawnGuarded(process.execPath, ['--import', 'tsx', 'server/telemetry/collector-process.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('collector ready')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  mkdirSync(tmp, { recursive: true });
  const influxd = await startPrivateInfluxd({ dataDir: join(tmp, 'influxdb') });
  const mosq = await startPrivateMosquitto({ dir: join(tmp, 'mosquitto') });
  let collector: ChildProcess | undefined;
  try {
    collector = await startCollector(mosq.url, influxd.url);
    const influx = new InfluxStore({ url: influxd.url, database: 'gantry', retentionPolicy: 'raw' });
    const watch = new ProcWatch({ collector: collector.pid as number, influxd: findPid(join(tmp, 'influxdb')) as number, bench: process.pid });
    say(`[bench:ingest] ${N} scanners × ${M} metrics, ${B} samples/message, ${SECONDS} s of load, ${a.connections} collector connection(s), ${a.publishers} publishers`);
    const P = Number(a.publishers);
    const groups = Array.from({ length: P }, (_, p) => Array.from({ length: N }, (_, s) => s).filter((s) => s % P === p));
    const waitStored = async (expected: number) => {
      let stored = 0;
      for (const deadline = Date.now() + 300000; Date.now() < deadline; await sleep(200)) {
        stored = await countAll(influx, 'gantry');
        if (stored >= expected) return stored;
      }
      throw new Error(`only ${stored} of ${expected} points reached InfluxDB`);
    };
    // Phase 1: saturation.
    const started = performance.now();
    watch.start();
    const until = Date.now() + SECONDS * 1000;
    const published = (await Promise.all(groups.map((g, p) => publishLoad(mosq.url, p, g, until)))).reduce((x, y) => x + y, 0);
    const publishSeconds = (performance.now() - started) / 1000;
    await waitStored(published);
    const allSeconds = (performance.now() - started) / 1000;
    const procs = watch.stop();
    // Phase 2: a paced load with latency probes.
    const paced = Math.round((published / allSeconds) * Number(a['latency-load']));
    say(`[bench:ingest] latency phase: ${paced} points/s for ${a['latency-seconds']} s with a probe sample every 200 ms…`);
    const probeClient = await mqtt.connectAsync(mosq.url, { clientId: 'bench-probe' });
    const until2 = Date.now() + Number(a['latency-seconds']) * 1000;
    const latP = probeLatency(probeClient, influx, until2, 200);
    const published2 = (await Promise.all(groups.map((g, p) => publishLoad(mosq.url, p, g, until2, paced / P)))).reduce((x, y) => x + y, 0);
    const latencies = await latP;
    await probeClient.endAsync();
    await waitStored(published + published2);
    const gantryPps = published / allSeconds;
    say(`[bench:ingest] raw ceiling: ${published} points as line protocol, batches of 5000, ${a['raw-concurrency']} concurrent POST /write…`);
    const rawPps = await rawCeiling(influxd.url, published, Number(a['raw-concurrency']));
    const result = {
      at: new Date().toISOString(), scanners: N, metrics: M, samplesPerMessage: B, loadSeconds: SECONDS, collectorConnections: Number(a.connections), batchSize: Number(a['batch-size']), gzipThreshold: Number(a['gzip-threshold']),
      points: published, fieldValues: published * M,
      gantry: { pointsPerSecond: round(gantryPps, 0), fieldValuesPerSecond: round(gantryPps * M, 0), publishPointsPerSecond: round(published / publishSeconds, 0), secondsToAllQueryable: round(allSeconds) },
      latencyMs: { pacedPointsPerSecond: paced, probes: latencies.length, p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1), max: round(latencies[latencies.length - 1] ?? NaN, 1) },
      raw: { pointsPerSecond: round(rawPps, 0), concurrency: Number(a['raw-concurrency']), batchLines: 5000 },
      ratioGantryToRaw: round(gantryPps / rawPps, 3),
      processes: procs,
      node: process.version, cpus: (await import('node:os')).cpus().length,
    };
    say(JSON.stringify(result, null, 2));
    say(`[bench:ingest] Gantry ${result.gantry.pointsPerSecond} points/s (${result.gantry.fieldValuesPerSecond} values/s), latency p50 ${result.latencyMs.p50} ms p99 ${result.latencyMs.p99} ms; raw InfluxDB ${result.raw.pointsPerSecond} points/s; ratio ${result.ratioGantryToRaw}`);
    say(`[bench:ingest] collector ${procs.collector?.cpuCores} cores, peak RSS ${procs.collector?.peakRssMiB} MiB; influxd ${procs.influxd?.cpuCores} cores, ${procs.influxd?.peakRssMiB} MiB`);
    mkdirSync('bench-results', { recursive: true });
    const file = join('bench-results', `ingest-${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    say(`[bench:ingest] saved ${file}`);
  } finally {
    collector?.kill('SIGTERM');
    if (collector) await new Promise((r) => collector?.once('exit', r));
    await mosq.stop();
    await influxd.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:ingest failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
