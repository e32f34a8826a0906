// npm run bench:sockets — how many live dashboards one Gantry process serves (sizing, docs/deployment.md).
// A simulated fleet publishes at 1 Hz into the platform (embedded broker, private InfluxDB); a second
// process holds N Socket.IO clients on the fleet view. Per level: server CPU (this process: ingest, alert
// rules, Socket.IO), event-loop delay, telemetry delivered per second, and the age of a reading on arrival
// (publish → client, p50 / p99). Baseline in the same run: the same fleet with no dashboard connected.
// Clients use batch mode (one telemetry:batch per tick, as the web dashboard does); --events measures
// clients that take one telemetry event per reading (scripts, other tools).
//   npm run bench:sockets -- [clients,...] [--scanners 100] [--seconds 15] [--events]
import { spawnGuarded } from '../server/services/process-guard.js';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { FleetSimulator } from '../collectors/simulator/publisher.js';
import { loadConfig } from '../server/config/load.js';
import { createLogger } from '../lib/logger.js';
import { sleep } from '../lib/net.js';
import { startPlatform } from '../server/platform.js';
import { tempDir } from '../test/support/platform.js';
import { apiToken } from './bench/api-token.js';
import { parseCli, numberOpt } from '../lib/cli-args.js';

const spec = {
  command: 'npm run bench:sockets --',
  summary: 'Socket.IO fan-out: delivery latency and server CPU at increasing numbers of dashboard clients.',
  options: {
    scanners: { type: 'string', default: '100', description: 'simulated scanners' },
    seconds: { type: 'string', default: '15', description: 'seconds per level' },
    events: { type: 'boolean', default: false, description: 'clients subscribe to per-event sockets instead of batches' },
  },
  positionals: '[CLIENT LEVELS, e.g. 25,50,100,200]',
} as const;
const cli = parseCli(spec);
const levels = [0, ...(cli.positionals.find((a) => /^\d+(,\d+)*$/.test(a)) ?? '25,50,100,200').split(',').map(Number)];
const scanners = numberOpt(spec, 'scanners', cli.values.scanners);
const seconds = numberOpt(spec, 'seconds', cli.values.seconds);
const say = (l: string) => process.stdout.write(`${l}\n`);
const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

const dir = tempDir('bench-sockets');
const password = randomBytes(12).toString('base64url');
const config = loadConfig({}, {
  dataDir: join(dir, 'data'), 'http.port': 0, 'mqtt.embeddedPort': 0, 'log.level': 'warn', 'auth.initialAdminPassword': password,
  // The load generator publishes anonymously on loopback; model scoring is measured by bench:model.
  'mqtt.allowAnonymous': true, 'models.enabled': false,
});
const platform = await startPlatform(config, createLogger(config.log.level));
const token = await apiToken(platform.url, password, ['read']);
// The fleet runs in this process's event loop only as MQTT publishes: cheap beside what it measures, and
// counted in the baseline row as well.
const fleet = new FleetSimulator({ url: platform.mqttUrl, scanners, intervalMs: 1000, seed: 5 }, createLogger('warn'));
await fleet.start();

const mode = cli.values.events ? 'events' : 'batch';
const child = spawnGuarded(process.execPath, ['--import', 'tsx', 'scripts/bench/socket-clients.ts', mode], { stdio: ['pipe', 'pipe', 'inherit'] });
const replies: string[] = [];
let wake: () => void = () => undefined;
createInterface({ input: child.stdout }).on('line', (l) => { replies.push(l); wake(); });
async function ask(cmd: string): Promise<Record<string, number | null | string>> {
  child.stdin.write(`${cmd}\n`);
  while (replies.length === 0) await new Promise<void>((r) => { wake = r; });
  return JSON.parse(replies.shift() as string) as Record<string, number | null | string>;
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
say(`[bench:sockets] ${scanners} simulated scanners at 1 Hz, clients in ${mode} mode; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
await sleep(3000);
interface Row { clients: number; serverCpuPct: number; loopP99Ms: number; deliveredPerS: number; perClientPerS: number; ageP50Ms: number | null; ageP99Ms: number | null; clientCpuPct: number }
const rows: Row[] = [];
for (const n of levels) {
  const held = await ask(`hold ${platform.url} ${token} ${n}`);
  if (held.error) throw new Error(`clients: ${held.error}`);
  await sleep(3000);
  await ask('report');
  loop.reset();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  const rep = await ask('report');
  const delivered = Number(rep.events) / (ms / 1000);
  const row: Row = {
    clients: n, serverCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / ms) * 100), loopP99Ms: r1(loop.percentile(99) / 1e6) ?? 0,
    deliveredPerS: Math.round(delivered), perClientPerS: n ? Math.round(delivered / n) : 0,
    ageP50Ms: rep.p50 as number | null, ageP99Ms: rep.p99 as number | null, clientCpuPct: Number(rep.clientCpuPct),
  };
  rows.push(row);
  say(`[bench:sockets] ${n} dashboards: server CPU ${row.serverCpuPct} % of a core, loop p99 ${row.loopP99Ms} ms, ${row.deliveredPerS} readings/s delivered (${row.perClientPerS} per dashboard), age p50 ${row.ageP50Ms} ms p99 ${row.ageP99Ms} ms; client process ${row.clientCpuPct} %`);
}
say('');
say('| dashboards | server CPU (% of one core) | event-loop delay p99 (ms) | readings delivered/s | per dashboard/s | reading age p50 / p99 (ms) | client process CPU % |');
say('|---|---|---|---|---|---|---|');
for (const r of rows) say(`| ${r.clients}${r.clients === 0 ? ' (baseline)' : ''} | ${r.serverCpuPct} | ${r.loopP99Ms} | ${r.deliveredPerS} | ${r.perClientPerS} | ${r.ageP50Ms ?? '–'} / ${r.ageP99Ms ?? '–'} | ${r.clientCpuPct} |`);
mkdirSync('bench-results', { recursive: true });
const at = new Date().toISOString();
writeFileSync(join('bench-results', `sockets-${at.replace(/[:.]/g, '-')}.json`), `${JSON.stringify({ at, mode, scanners, seconds, cores: cpus().length, loadavg: loadavg(), rows }, null, 2)}\n`);
say(`[bench:sockets] load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

child.stdin.write('exit\n');
await fleet.stop();
await platform.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
