// npm run bench:cluster -- [--instances 1,2,3] [--scanners 20] [--seconds 10]
// 1, 2 and 3 Gantry server processes on one machine against one private Mosquitto (shared subscription),
// Redis and InfluxDB. Per cluster size: ingest throughput (one reading per message, published as fast as the
// broker acknowledges, until all are queryable), publish → Socket.IO latency at a client of the last
// instance, and (2+ instances) the leader SIGKILLed under load: time until the survivor's socket gets an
// alert for a limit crossing published right after the kill, readings lost (acknowledged but not stored once
// the killed instance is back with its spool) and alerts duplicated (firing events stored for that alert
// beyond one). Saves JSON in bench-results/.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli } from '../lib/cli-args.js';
import mqtt from 'mqtt';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { Alert } from '../contracts/alerts.js';
import type { TelemetryReading } from '../contracts/telemetry.js';
import { sleep } from '../lib/net.js';
import { startPrivateInfluxd } from '../server/services/private-influxd.js';
import { startPrivateMosquitto } from '../server/services/private-mosquitto.js';
import { startPrivateRedis } from '../server/services/private-redis.js';
import { InfluxStore } from '../server/storage/influx.js';
import { percentile, round } from './bench/proc-stats.js';
import { leaderOf, login, publishLoad, startInstance, storedTs, type Instance, type Shared } from './bench/cluster-instances.js';

const { values: a } = parseCli({
  command: 'npm run bench:cluster --',
  summary: '1 vs 2 vs 3 Gantry instances on one Mosquitto, Redis and InfluxDB: throughput, publish -> socket latency, and failover when one instance is SIGKILLed (readings lost, alerts duplicated).',
  options: {
    instances: { type: 'string', default: '1,2,3', description: 'instance counts to measure, comma-separated' },
    scanners: { type: 'string', default: '20', description: 'simulated scanners publishing' },
    seconds: { type: 'string', default: '10', description: 'load duration per level' },
  },
});
const say = (s: string) => process.stdout.write(`${s}\n`);
const tmp = (p: string) => mkdtempSync(join(tmpdir(), `gantry-bench-cluster-${p}-`));
const EXTRA = { GANTRY_REALTIME_MAX_UPDATES_PER_SECOND: '100', GANTRY_ALERTS_CATALOG_FOR_MS: '0', GANTRY_LOG_LEVEL: 'error' };

async function poll<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

/** As fast as the broker acknowledges (200 in flight), one reading per message, for `seconds`. */
async function flood(url: string, scanners: string[], seconds: number): Promise<Map<string, number>> {
  const c = await mqtt.connectAsync(url, { clientId: `flood-${process.pid}`, clean: true });
  const sent = new Map(scanners.map((s) => [s, 0]));
  const base = Date.now() - 3_600_000;
  const until = Date.now() + seconds * 1000;
  let i = 0;
  await Promise.all(Array.from({ length: 200 }, async () => {
    while (Date.now() < until) {
      const s = scanners[i++ % scanners.length] as string;
      const n = sent.get(s) ?? 0;
      sent.set(s, n + 1);
      await c.publishAsync(`gantry/v1/bench/ct/${s}/telemetry`, JSON.stringify({ samples: [{ ts: base + n, metrics: { power_kw: 40, tube_temp_c: 45 } }] }), { qos: 1 });
    }
  }));
  await c.endAsync();
  return sent;
}

async function countAll(influx: InfluxStore): Promise<number> {
  const r = await influx.query(`SELECT count("power_kw") FROM "telemetry" WHERE "site" = 'bench'`);
  return Number(r[0]?.[0]?.values[0]?.[1] ?? 0);
}

async function latency(shared: Shared, sock: Socket): Promise<number[]> {
  const sentAt = new Map<number, number>();
  const got: number[] = [];
  sock.on('telemetry', (r: TelemetryReading) => { const t = sentAt.get(r.ts); if (r.scannerId === 'probe-1' && t) { got.push(Date.now() - t); sentAt.delete(r.ts); } });
  const c = await mqtt.connectAsync(shared.mqttUrl, { clientId: `probe-${process.pid}` });
  for (let i = 0; i < 100; i++) {
    const ts = Date.now();
    sentAt.set(ts, ts);
    await c.publishAsync('gantry/v1/bench/ct/probe-1/telemetry', JSON.stringify({ samples: [{ ts, metrics: { power_kw: 40 } }] }), { qos: 1 });
    await sleep(50);
  }
  await sleep(500);
  await c.endAsync();
  return got.sort((x, y) => x - y);
}

async function failover(shared: Shared, insts: Instance[], influx: InfluxStore, cookie: string): Promise<Record<string, number>> {
  const leader = await leaderOf(shared.redisUrl);
  const victim = insts.find((i) => i.name === leader) as Instance;
  const survivor = insts.find((i) => i !== victim) as Instance;
  const sock = ioClient(survivor.url, { transports: ['websocket'], extraHeaders: { cookie } });
  let alertAt = 0;
  let firings = 0;
  // The threshold alert only (the scanner's no-data alert fires too once it stops publishing).
  const isHot = (x: Alert) => x.scannerId === 'hot-1' && x.ruleId.startsWith('catalog.');
  sock.on('alert', (x: Alert) => { if (isHot(x) && x.state === 'firing') { firings++; alertAt ||= Date.now(); } });
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const scanners = Array.from({ length: 8 }, (_, i) => `fo-${i}`);
  const load = await publishLoad(shared.mqttUrl, scanners, 5);
  await sleep(2000);
  const killedAt = Date.now();
  await victim.kill('SIGKILL');
  const hot = await mqtt.connectAsync(shared.mqttUrl, { clientId: `hot-${process.pid}` });
  while (!alertAt && Date.now() - killedAt < 30_000) {
    await hot.publishAsync('gantry/v1/ha/ct/hot-1/telemetry', JSON.stringify({ samples: [{ ts: Date.now(), metrics: { tube_temp_c: 90 } }] }), { qos: 1 });
    await sleep(100);
  }
  const newLeader = await leaderOf(shared.redisUrl);
  await hot.endAsync();
  await sleep(1000);
  await load.drain();
  const back = await startInstance(victim.name, shared, EXTRA, victim.dataDir);
  insts[insts.indexOf(victim)] = back;
  let lost = 0;
  let doubled = 0;
  for (const s of scanners) {
    const want = load.acked.get(s) ?? new Set<number>();
    const got = await poll(() => storedTs(influx, s), (ts) => ts.length >= want.size, 30_000).catch(() => storedTs(influx, s));
    const have = new Set(got);
    for (const t of want) if (!have.has(t)) lost++;
    doubled += got.length - have.size;
  }
  await sleep(500);
  const fired = await influx.query(`SELECT count("value") FROM "alert_event" WHERE "scanner_id" = 'hot-1' AND "rule_id" =~ /^catalog\\./ AND "event" = 'firing'`);
  const firingEvents = Number(fired[0]?.[0]?.values[0]?.[1] ?? 0);
  sock.close();
  return {
    killToAlertAtSurvivorMs: alertAt ? alertAt - killedAt : -1, newLeaderIsSurvivor: newLeader === survivor.name ? 1 : 0,
    readingsAcked: load.total(), readingsLost: lost, readingsStoredTwice: doubled, alertsDuplicated: Math.max(0, firingEvents - 1) + Math.max(0, firings - 1),
  };
}

async function run(n: number): Promise<Record<string, unknown>> {
  const [influxd, mosq, redis] = await Promise.all([startPrivateInfluxd({ dataDir: tmp('influx') }), startPrivateMosquitto({ dir: tmp('mosq') }), startPrivateRedis({ dir: tmp('redis') })]);
  const shared: Shared = { mqttUrl: mosq.url, redisUrl: redis.url, influxUrl: influxd.url };
  const insts: Instance[] = [];
  try {
    for (let i = 0; i < n; i++) insts.push(await startInstance(`i${i}`, shared, EXTRA));
    const last = insts[insts.length - 1] as Instance;
    const cookie = await login(last.url);
    const influx = new InfluxStore({ url: influxd.url, database: 'gantry', retentionPolicy: 'raw' });
    const t0 = Date.now();
    const sent = await flood(mosq.url, Array.from({ length: Number(a.scanners) }, (_, i) => `ct-${i}`), Number(a.seconds));
    const total = [...sent.values()].reduce((x, y) => x + y, 0);
    await poll(() => countAll(influx), (c) => c >= total, 120_000);
    const throughput = total / ((Date.now() - t0) / 1000);
    const sock = ioClient(last.url, { transports: ['websocket'], extraHeaders: { cookie } });
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const lat = await latency(shared, sock);
    sock.close();
    const out: Record<string, unknown> = {
      instances: n, readingsPerSecond: Math.round(throughput), readings: total,
      socketLatencyMs: { p50: round(percentile(lat, 50), 1), p99: round(percentile(lat, 99), 1), received: lat.length, of: 100 },
    };
    if (n >= 2) out.failover = await failover(shared, insts, influx, cookie);
    return out;
  } finally {
    for (const i of insts) await i.kill('SIGTERM');
    await Promise.all([mosq.stop(), redis.stop(), influxd.stop()]);
  }
}

const results: Record<string, unknown>[] = [];
for (const n of a.instances.split(',').map(Number)) {
  const r = await run(n);
  say(JSON.stringify(r));
  results.push(r);
}
mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', `cluster-${Date.now()}.json`), JSON.stringify({ args: a, results }, null, 1));
