// npm run bench:alerts — latency from the MQTT publish of a threshold-crossing sample to the alert at a
// Socket.IO client and at a webhook receiver (p50, p99), beside the ingest rate, first on an idle platform
// (the baseline of this run), then under fleet load from a private Mosquitto. Usage:
//   npm run bench:alerts -- [scanners,...] [--batch N] [--publishers N] [--seconds N]
// Defaults: 250,500,1000 scanners × all 16 MRI catalog metrics at 1 Hz, batch 1, 4 publishers, 15 s.
import { spawnGuarded } from '../server/services/process-guard.js';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mqtt from 'mqtt';
import { metricsFor } from '../contracts/metric-catalog.js';
import { loadConfig } from '../server/config/load.js';
import { createLogger } from '../lib/logger.js';
import { sleep } from '../lib/net.js';
import { startPlatform } from '../server/platform.js';
import { startPrivateMosquitto } from '../server/services/private-mosquitto.js';
import { tempDir } from '../test/support/platform.js';
import { apiToken } from './bench/api-token.js';
import { parseCli, numberOpt } from '../lib/cli-args.js';

const spec = {
  command: 'npm run bench:alerts --',
  summary: 'Alert latency (reading published -> socket / webhook) at increasing scanner counts.',
  options: {
    batch: { type: 'string', default: '1', description: 'readings per MQTT message' },
    publishers: { type: 'string', default: '4', description: 'load-generator processes' },
    seconds: { type: 'string', default: '15', description: 'seconds per level' },
  },
  positionals: '[LEVELS, e.g. 250,500,1000]',
} as const;
const cli = parseCli(spec);
const levels = (cli.positionals.find((a) => /^\d+(,\d+)*$/.test(a)) ?? '250,500,1000').split(',').map(Number);
const batch = numberOpt(spec, 'batch', cli.values.batch);
const publishers = numberOpt(spec, 'publishers', cli.values.publishers);
const seconds = numberOpt(spec, 'seconds', cli.values.seconds);
const METRICS = metricsFor('mri').length;
const say = (l: string) => process.stdout.write(`${l}\n`);

const dir = tempDir('bench-alerts');
const ADMIN_PASSWORD = randomBytes(12).toString('base64url');
const mosq = await startPrivateMosquitto({ dir: join(dir, 'mosquitto') });
const arrivals = new Map<string, { socket?: number; webhook?: number }>();
const clock = () => performance.timeOrigin + performance.now();
const rules = join(dir, 'rules');
mkdirSync(rules, { recursive: true });

const config = loadConfig({}, {
  dataDir: join(dir, 'data'), 'http.port': 0, 'mqtt.url': mosq.url, 'mqtt.clientId': `bench-${process.pid}`, 'log.level': 'warn',
  'alerts.rulesDir': rules, 'alerts.catalogForMs': 0, 'alerts.hotReload': false, 'auth.initialAdminPassword': ADMIN_PASSWORD,
});
const observer = spawnGuarded(process.execPath, ['--import', 'tsx', 'scripts/bench-alerts-observer.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
let ready: () => void = () => undefined;
const observerReady = new Promise<void>((r) => { ready = r; });
const hookUrl = await new Promise<string>((resolveUrl) => {
  createInterface({ input: observer.stdout }).on('line', (l) => {
    const m = JSON.parse(l) as { webhook?: string; ready?: boolean; via?: 'socket' | 'webhook'; id?: string; at?: number };
    if (m.webhook) resolveUrl(m.webhook);
    else if (m.ready) ready();
    const e = m.id ? arrivals.get(m.id) : undefined;
    if (e && m.via && e[m.via] === undefined) e[m.via] = m.at;
  });
});
writeFileSync(join(rules, 'bench.yaml'), `channels:\n  - { id: hook, type: webhook, url: "${hookUrl}", secret: bench }\nroutes:\n  - { id: all, channels: [hook] }\n`);
const platform = await startPlatform(config, createLogger(config.log.level));
// The dashboard side and /metrics authenticate like any client: an API token with read and metrics scopes.
const token = await apiToken(platform.url, ADMIN_PASSWORD);
observer.stdin.write(`${platform.url} ${token}\n`);
await observerReady;
let readings = 0;
platform.bus.on('telemetry', () => { readings++; });
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const prober = await mqtt.connectAsync(mosq.url, { clientId: `bench-probe-${process.pid}` });

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
async function written(): Promise<number> {
  const text = await (await fetch(`${platform.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  return Number(text.split('\n').find((l) => l.startsWith('gantry_influx_points_written_total '))?.split(' ')[1] ?? NaN);
}

/** Publishes one crossing sample every `everyMs` for `ms`, then waits for stragglers; returns latencies. */
async function probe(phase: string, ms: number, everyMs: number) {
  const sent: { id: string; t0: number }[] = [];
  const end = Date.now() + ms;
  for (let k = 0; Date.now() < end; k++) {
    const scanner = `probe-${phase}-${k}`;
    const id = `catalog.mri.helium_level_pct.low:${scanner}`;
    arrivals.set(id, {});
    const t0 = clock();
    prober.publish(`gantry/v1/bench/mri/${scanner}/telemetry`, JSON.stringify({ ts: Date.now(), metrics: { helium_level_pct: 5 } }), { qos: 1 });
    sent.push({ id, t0 });
    await sleep(everyMs);
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && sent.some((s) => { const e = arrivals.get(s.id); return e?.socket === undefined || e.webhook === undefined; })) await sleep(50);
  const socket = sent.flatMap((s) => { const e = arrivals.get(s.id); return e?.socket !== undefined ? [e.socket - s.t0] : []; });
  const webhook = sent.flatMap((s) => { const e = arrivals.get(s.id); return e?.webhook !== undefined ? [e.webhook - s.t0] : []; });
  return { probes: sent.length, socket: { n: socket.length, p50: r1(pct(socket, 50)), p99: r1(pct(socket, 99)), max: r1(Math.max(...socket)) }, webhook: { n: webhook.length, p50: r1(pct(webhook, 50)), p99: r1(pct(webhook, 99)), max: r1(Math.max(...webhook)) } };
}

interface Row { phase: string; scanners: number; serverCpuPct: number; loopDelayP99Ms: number; loopDelayMaxMs: number; offeredSamplesPerS: number; acceptedSamplesPerS: number; acceptedValuesPerS: number; writtenPointsPerS: number; latency: Awaited<ReturnType<typeof probe>> }
const results: Row[] = [];
say(`[bench:alerts] load average before: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
say(`[bench:alerts] private Mosquitto ${mosq.url}; MRI scanners × ${METRICS} metrics at 1 Hz; batch ${batch}; ${publishers} publishers; ${seconds} s per level`);

/** Server-process CPU (% of one core) and event-loop delay over a phase. */
function startStats() {
  loop.reset();
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    return { serverCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / (Date.now() - t0)) * 100), loopDelayP99Ms: r1(loop.percentile(99) / 1e6), loopDelayMaxMs: r1(loop.max / 1e6) };
  };
}

const idleStats = startStats();
const baseline = await probe('idle', 5000, 100);
results.push({ phase: 'idle (baseline)', scanners: 0, ...idleStats(), offeredSamplesPerS: 0, acceptedSamplesPerS: 0, acceptedValuesPerS: 0, writtenPointsPerS: 0, latency: baseline });

for (const scanners of levels) {
  const child = spawnGuarded(process.execPath, ['--import', 'tsx', 'scripts/bench-alerts-load.ts', mosq.url, String(scanners), String(batch), String(publishers)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const offered: { t: number; published: number }[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => { try { offered.push(JSON.parse(l) as { t: number; published: number }); } catch { /* ignore */ } });
  await sleep(5000);
  const stats = startStats();
  const r0 = readings; const w0 = await written(); const o0 = offered[offered.length - 1]?.published ?? 0; const t0 = Date.now();
  const lat = await probe(`l${scanners}`, seconds * 1000, 250);
  const dt = (Date.now() - t0) / 1000;
  const r = readings - r0; const w = (await written()) - w0; const o = (offered[offered.length - 1]?.published ?? 0) - o0;
  child.kill('SIGTERM');
  await new Promise<void>((res) => child.once('exit', () => res()));
  const row: Row = { phase: 'fleet load', scanners, ...stats(), offeredSamplesPerS: Math.round(o / dt), acceptedSamplesPerS: Math.round(r / dt), acceptedValuesPerS: Math.round((r / dt) * METRICS), writtenPointsPerS: Math.round(w / dt), latency: lat };
  results.push(row);
  say(`[bench:alerts] ${scanners} scanners: offered ${row.offeredSamplesPerS}/s, accepted ${row.acceptedSamplesPerS} samples/s (${row.acceptedValuesPerS} values/s), influx ${row.writtenPointsPerS} points/s; socket p50 ${lat.socket.p50} ms p99 ${lat.socket.p99} ms; webhook p50 ${lat.webhook.p50} ms p99 ${lat.webhook.p99} ms`);
  // Let the queue drain before the next level so each level starts from an empty backlog.
  const drainUntil = Date.now() + 30_000;
  let last = -1;
  while (Date.now() < drainUntil && readings !== last) { last = readings; await sleep(1000); }
}

say('');
say('| phase | scanners | offered samples/s | accepted samples/s | values/s | InfluxDB points/s | Socket.IO p50 / p99 (ms) | webhook p50 / p99 (ms) | probes (socket/webhook seen) | server CPU % | event-loop delay p99 / max (ms) |');
say('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const l = r.latency;
  say(`| ${r.phase} | ${r.scanners} | ${r.offeredSamplesPerS} | ${r.acceptedSamplesPerS} | ${r.acceptedValuesPerS} | ${r.writtenPointsPerS} | ${l.socket.p50} / ${l.socket.p99} | ${l.webhook.p50} / ${l.webhook.p99} | ${l.probes} (${l.socket.n}/${l.webhook.n}) | ${r.serverCpuPct} | ${r.loopDelayP99Ms} / ${r.loopDelayMaxMs} |`);
}
mkdirSync('bench-results', { recursive: true });
const file = join('bench-results', `alerts-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ when: new Date().toISOString(), cores: cpus().length, loadavg: loadavg(), metricsPerScanner: METRICS, batch, publishers, seconds, results }, null, 2));
say(`[bench:alerts] machine: ${cpus().length} cores, load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')} (other processes share the cores)`);
say(`[bench:alerts] saved ${file}`);

observer.kill('SIGTERM');
await prober.endAsync();
await platform.stop();
await mosq.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
