// npm run bench:ingest -- [--scanners 100] [--metrics 16] [--samples-per-message 10] [--seconds 20]
//   [--single-seconds 10] [--connections 1] [--write-concurrency 4] [--publishers 2] [--raw-concurrency 2]
//   [--batch-size 5000] [--gzip-threshold 65536] [--cpu-prof DIR]   (--help lists all)
// N simulated scanners × M metrics through a private Mosquitto into the stand-alone collector process
// (server/telemetry/collector-process.ts: the same ingest path as the server) and a private InfluxDB. Phases:
//   1. saturation with B samples per message: published as fast as the broker acknowledges, timed until
//      every point is queryable (the collector's spool polled from its files, then one count in InfluxDB);
//      the backlog left when publishing stops is written with the publishers idle, and its rate is the
//      write path alone (spool → InfluxDB), the figure closest to what the raw baseline measures;
//   2. the same with one reading per message (messages/s: the collector's per-message cost);
//   3. publish-to-queryable latency of probe samples during a paced load at half the phase-1 rate (latency
//      at saturation only measures the backlog);
//   4. the raw InfluxDB baseline in the same run: the same points as line protocol POSTed straight to /write,
//      formatted batch by batch (never the whole run in memory).
// Prints Gantry/raw, CPU per point of each process and the load average (the figures mean little on a
// machine busy with other work). The private services are stopped on exit and on SIGINT / SIGTERM (and die
// with this process in any case: process-guard.ts). Saves JSON in bench-results/.
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
import { onceCleanup, rawCeiling, spoolPending } from './bench/ingest-raw.js';
import { cpus, loadavg } from 'node:os';

const spec = {
  command: 'npm run bench:ingest --',
  summary: 'MQTT -> spool -> InfluxDB ingest throughput and latency beside raw baselines.',
  options: {
  'scanners': { type: 'string', default: '100', description: 'scanners' }, 'metrics': { type: 'string', default: '16', description: 'metrics' }, 'samples-per-message': { type: 'string', default: '10', description: 'samples per message' },
  'seconds': { type: 'string', default: '20', description: 'seconds' }, 'connections': { type: 'string', default: '1', description: 'connections' }, 'publishers': { type: 'string', default: '2', description: 'publishers' },
  'raw-concurrency': { type: 'string', default: '2', description: 'raw concurrency' }, 'in-flight': { type: 'string', default: '100', description: 'in flight' },
  'batch-size': { type: 'string', default: '5000', description: 'batch size' }, 'latency-seconds': { type: 'string', default: '15', description: 'latency seconds' }, 'latency-load': { type: 'string', default: '0.5', description: 'latency load' }, 'gzip-threshold': { type: 'string', default: '65536', description: 'gzip threshold' },
  'single-seconds': { type: 'string', default: '10', description: 'seconds of the one-reading-per-message phase' },
  'write-concurrency': { type: 'string', default: '4', description: 'writes to InfluxDB in flight (influx.writeConcurrency)' },
  'raw-points': { type: 'string', default: '0', description: 'points in the raw baseline (0: as many as the main phase stored)' },
  'cpu-prof': { type: 'string', default: '', description: 'folder for a V8 CPU profile of the collector process (node --cpu-prof); empty: none' },
  },
} as const;
const { values: a } = parseCli(spec);
const N = Number(a.scanners);
const defs = metricsFor('mri').slice(0, Number(a.metrics));
const names = defs.map((m) => m.name);
/** A value inside the catalog's plausible range (values outside are rejected at ingest). */
const valueOf = (i: number, k: number): number => {
  const [lo, hi] = (defs[k] as (typeof defs)[number]).plausible;
  const v = (i + k) % 97 + 0.5;
  return v <= hi ? v : lo + (v % (hi - lo));
};
const M = names.length;
const B = Number(a['samples-per-message']);
const SECONDS = Number(a.seconds);
const say = (s: string) => process.stdout.write(`${s}\n`);

const tmp = join(process.cwd(), '.tmp', `bench-ingest-${process.pid}`);
const base = Date.now() - 86400000; // a day ago: inside retention, never in the future

function body(first: number, samples: number): string {
  const parts: string[] = [];
  for (let j = 0; j < samples; j++) {
    const i = first + j;
    parts.push(`{"ts":${base + i},"metrics":{${names.map((n, k) => `"${n}":${valueOf(i, k)}`).join(',')}}}`);
  }
  return `{"samples":[${parts.join(',')}]}`;
}

const next = new Map<number, number>();

/** Publishes batches round-robin until `until`; `pointsPerSecond` paces it (0: as fast as acknowledged). */
async function publishLoad(url: string, client: number, scanners: number[], until: number, pointsPerSecond = 0, samples = B): Promise<number> {
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
      next.set(s, first + samples);
      const p = c.publishAsync(`gantry/v1/bench/mri/s-${s}/telemetry`, body(first, samples), { qos: 1 });
      pending.add(p);
      void p.finally(() => pending.delete(p));
      points += samples;
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

/** The i-th point of the raw baseline: the same shape as Gantry's, N scanners round-robin. */
function rawLine(i: number): string {
  // In the order Gantry's publishers send them: B samples of one scanner per message, scanners round-robin.
  const m = Math.floor(i / B);
  const sample = Math.floor(m / N) * B + (i % B);
  const metrics: Record<string, number> = {};
  names.forEach((n, k) => { metrics[n] = valueOf(sample, k); });
  return readingToLine({ site: 'bench', modality: 'mri', scannerId: `s-${m % N}`, ts: base + sample, metrics });
}

function startCollector(mqttUrl: string, influxUrl: string): Promise<ChildProcess> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  Object.assign(env, {
    GANTRY_MQTT_URL: mqttUrl, GANTRY_INFLUX_URL: influxUrl, GANTRY_DATA_DIR: join(tmp, 'collector'), GANTRY_LOG_LEVEL: 'warn',
    GANTRY_MQTT_COLLECTOR_CONNECTIONS: a.connections, GANTRY_MQTT_CLIENT_ID: 'bench-collector', GANTRY_INGEST_MAX_SAMPLES_PER_MESSAGE: '1000',
    GANTRY_INFLUX_BATCH_SIZE: a['batch-size'], GANTRY_INFLUX_GZIP_THRESHOLD: a['gzip-threshold'], GANTRY_INFLUX_WRITE_CONCURRENCY: a['write-concurrency'],
  });
  const child = spawnGuarded(process.execPath, [...(a['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', a['cpu-prof']] : []), '--import', 'tsx', 'server/telemetry/collector-process.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('collector ready')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
}

interface Phase {
  points: number; publishSeconds: number; allSeconds: number; procs: ReturnType<ProcWatch['stop']>;
  /** Points written per second from the end of publishing until the spool was empty: the write path alone. */
  backlogPointsPerSecond: number;
}

async function main(): Promise<void> {
  mkdirSync(tmp, { recursive: true });
  let collector: ChildProcess | undefined;
  let services: { stop(): Promise<void> }[] = [];
  const cleanup = onceCleanup(async () => {
    collector?.kill('SIGTERM');
    if (collector && collector.exitCode === null) await new Promise((r) => collector?.once('exit', r));
    for (const svc of services.reverse()) await svc.stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  });
  try {
    const influxd = await startPrivateInfluxd({ dataDir: join(tmp, 'influxdb') });
    services.push(influxd);
    const mosq = await startPrivateMosquitto({ dir: join(tmp, 'mosquitto') });
    services = [influxd, mosq];
    collector = await startCollector(mosq.url, influxd.url);
    const influx = new InfluxStore({ url: influxd.url, database: 'gantry', retentionPolicy: 'raw' });
    const pids = { collector: collector.pid as number, influxd: findPid(join(tmp, 'influxdb')) as number, mosquitto: findPid(join(tmp, 'mosquitto')) as number, bench: process.pid };
    say(`[bench:ingest] ${N} scanners × ${M} metrics, ${B} samples/message, ${SECONDS} s of load, ${a.connections} collector connection(s), ${a.publishers} publishers, ${a['write-concurrency']} concurrent writes`);
    const P = Number(a.publishers);
    const groups = Array.from({ length: P }, (_, p) => Array.from({ length: N }, (_, s) => s).filter((s) => s % P === p));
    let expected = 0;
    const spoolDir = join(tmp, 'collector', 'spool');
    /** Waits until the spool is drained and InfluxDB holds every published point. */
    const waitStored = async () => {
      let stored = 0;
      for (const deadline = Date.now() + 300000; Date.now() < deadline; await sleep(20)) {
        if (spoolPending(spoolDir) > 0) continue;
        stored = await countAll(influx, 'gantry');
        if (stored >= expected) return;
        await sleep(200);
      }
      throw new Error(`only ${stored} of ${expected} points reached InfluxDB`);
    };
    /** Saturation: publish as fast as the broker acknowledges for `seconds`, until all is queryable. */
    const saturate = async (seconds: number, samples: number): Promise<Phase> => {
      const watch = new ProcWatch(pids);
      const started = performance.now();
      watch.start();
      const until = Date.now() + seconds * 1000;
      const points = (await Promise.all(groups.map((g, p) => publishLoad(mosq.url, p, g, until, 0, samples)))).reduce((x, y) => x + y, 0);
      const publishSeconds = (performance.now() - started) / 1000;
      const storedAtEnd = await countAll(influx, 'gantry');
      const counted = (performance.now() - started) / 1000;
      expected += points;
      await waitStored();
      const allSeconds = (performance.now() - started) / 1000;
      return { points, publishSeconds, allSeconds, procs: watch.stop(), backlogPointsPerSecond: (expected - storedAtEnd) / (allSeconds - counted) };
    };
    const main1 = await saturate(SECONDS, B);
    say(`[bench:ingest] ${B} samples/message: ${round(main1.points / main1.allSeconds, 0)} points/s; now 1 sample/message for ${a['single-seconds']} s…`);
    const single = await saturate(Number(a['single-seconds']), 1);
    // Phase 3: a paced load with latency probes.
    const paced = Math.round((main1.points / main1.allSeconds) * Number(a['latency-load']));
    say(`[bench:ingest] latency phase: ${paced} points/s for ${a['latency-seconds']} s with a probe sample every 200 ms…`);
    const probeClient = await mqtt.connectAsync(mosq.url, { clientId: 'bench-probe' });
    const until2 = Date.now() + Number(a['latency-seconds']) * 1000;
    const latP = probeLatency(probeClient, influx, until2, 200);
    expected += (await Promise.all(groups.map((g, p) => publishLoad(mosq.url, p, g, until2, paced / P)))).reduce((x, y) => x + y, 0);
    const latencies = await latP;
    await probeClient.endAsync();
    await waitStored();
    const rawPoints = Math.min(main1.points, Number(a['raw-points']) || main1.points);
    say(`[bench:ingest] raw baseline: ${rawPoints} points as line protocol, batches of ${a['batch-size']}, ${a['raw-concurrency']} concurrent POST /write…`);
    const rawWatch = new ProcWatch({ influxd: pids.influxd, bench: pids.bench });
    rawWatch.start();
    const rawPps = await rawCeiling(influxd.url, 'bench_raw', rawPoints, Number(a['raw-concurrency']), Number(a['batch-size']), rawLine);
    const rawProcs = rawWatch.stop();
    report(main1, single, rawPps, rawPoints, rawProcs, paced, latencies);
  } finally {
    await cleanup();
  }
}

const perPoint = (procs: Phase['procs'], points: number) => Object.fromEntries(Object.entries(procs).map(([k, v]) => [k, round((v.cpuSeconds / points) * 1e6, 1)]));

function report(main1: Phase, single: Phase, rawPps: number, rawPoints: number, rawProcs: Phase['procs'], paced: number, latencies: number[]): void {
  const gantryPps = main1.points / main1.allSeconds;
  const singlePps = single.points / single.allSeconds;
  const result = {
    at: new Date().toISOString(), scanners: N, metrics: M, samplesPerMessage: B, loadSeconds: SECONDS, collectorConnections: Number(a.connections), writeConcurrency: Number(a['write-concurrency']), batchSize: Number(a['batch-size']), gzipThreshold: Number(a['gzip-threshold']),
    points: main1.points, fieldValues: main1.points * M,
    gantry: { pointsPerSecond: round(gantryPps, 0), fieldValuesPerSecond: round(gantryPps * M, 0), publishPointsPerSecond: round(main1.points / main1.publishSeconds, 0), backlogPointsPerSecond: round(main1.backlogPointsPerSecond, 0), secondsToAllQueryable: round(main1.allSeconds), processes: main1.procs, cpuMicrosecondsPerPoint: perPoint(main1.procs, main1.points) },
    oneReadingPerMessage: { messagesPerSecond: round(singlePps, 0), points: single.points, publishMessagesPerSecond: round(single.points / single.publishSeconds, 0), secondsToAllQueryable: round(single.allSeconds), processes: single.procs, cpuMicrosecondsPerPoint: perPoint(single.procs, single.points) },
    latencyMs: { pacedPointsPerSecond: paced, probes: latencies.length, p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1), max: round(latencies[latencies.length - 1] ?? NaN, 1) },
    raw: { pointsPerSecond: round(rawPps, 0), points: rawPoints, concurrency: Number(a['raw-concurrency']), batchLines: Number(a['batch-size']), processes: rawProcs, cpuMicrosecondsPerPoint: perPoint(rawProcs, rawPoints) },
    ratioGantryToRaw: round(gantryPps / rawPps, 3),
    ratioBacklogToRaw: round(main1.backlogPointsPerSecond / rawPps, 3),
    node: process.version, cpus: cpus().length, loadAverage: loadavg().map((v) => round(v)),
  };
  say(JSON.stringify(result, null, 2));
  const c = main1.procs;
  say(`[bench:ingest] raw InfluxDB ${result.raw.pointsPerSecond} points/s | Gantry ${B} samples/message ${result.gantry.pointsPerSecond} points/s (${result.gantry.fieldValuesPerSecond} values/s), ratio ${result.ratioGantryToRaw} | 1 sample/message ${result.oneReadingPerMessage.messagesPerSecond} messages/s`);
  say(`[bench:ingest] backlog after publishing stopped written at ${result.gantry.backlogPointsPerSecond} points/s (the write path alone; ratio ${result.ratioBacklogToRaw})`);
  say(`[bench:ingest] latency p50 ${result.latencyMs.p50} ms p99 ${result.latencyMs.p99} ms at ${paced} points/s`);
  say(`[bench:ingest] cores during the ${B}-sample phase: collector ${c.collector?.cpuCores}, influxd ${c.influxd?.cpuCores}, mosquitto ${c.mosquitto?.cpuCores}, publishers ${c.bench?.cpuCores}; during raw: influxd ${rawProcs.influxd?.cpuCores}; load average ${result.loadAverage.join(' ')} on ${result.cpus} CPUs`);
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `ingest-${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  say(`[bench:ingest] saved ${file}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:ingest failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
