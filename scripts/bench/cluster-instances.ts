// Starts Gantry instances of one cluster as child processes (so a test can SIGKILL one) against shared
// private Mosquitto, Redis and InfluxDB, and publishes load whose every acknowledged sample is known.
import { spawn, type ChildProcess } from 'node:child_process';
import mqtt from 'mqtt';
import { createClient } from 'redis';
import { holderOf } from '../../server/cluster/coordinator.js';
import { freePort } from '../../lib/net.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InfluxStore } from '../../server/storage/influx.js';

const tempDir = (p: string) => mkdtempSync(join(tmpdir(), `gantry-${p}-`));

export const ADMIN_PASSWORD = 'cluster-admin-password-1';

export interface Shared { mqttUrl: string; redisUrl: string; influxUrl: string }

export interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  dataDir: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts one instance; resolves once it listens. `dataDir` reuses a killed instance's folder (its spool). */
export async function startInstance(name: string, shared: Shared, extra: Record<string, string> = {}, dataDir = tempDir(`cluster-${name}`)): Promise<Instance> {
  const port = await freePort();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GANTRY_')) env[k] = v;
  Object.assign(env, {
    GANTRY_DATA_DIR: dataDir, GANTRY_HTTP_PORT: String(port), GANTRY_MQTT_URL: shared.mqttUrl, GANTRY_INFLUX_URL: shared.influxUrl,
    GANTRY_MQTT_CLIENT_ID: `gantry-${name}`, GANTRY_MQTT_SHARED_GROUP: 'gantry', GANTRY_CLUSTER_REDIS_URL: shared.redisUrl,
    GANTRY_CLUSTER_INSTANCE_ID: name, GANTRY_CLUSTER_LEASE_MS: '3000', GANTRY_CLUSTER_RENEW_MS: '500',
    GANTRY_AUTH_INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD, GANTRY_MODELS_ENABLED: 'false', GANTRY_LOG_LEVEL: process.env.GANTRY_TEST_LOG ?? 'warn',
    GANTRY_INFLUX_FLUSH_INTERVAL_MS: '50', GANTRY_INFLUX_ROLLUPS: 'false', GANTRY_ALERTS_CATALOG_FOR_MS: '1000', ...extra,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('Gantry dashboard:')) resolve(); });
    child.once('exit', (code) => reject(new Error(`instance ${name} exited with ${code}`)));
  });
  return {
    name, url: `http://127.0.0.1:${port}`, child, dataDir,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise((r) => { child.once('exit', r); child.kill(signal); });
    },
  };
}

export async function login(url: string, username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gantry_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] as string;
}

export interface Load {
  /** Per scanner: sample timestamps the broker acknowledged. */
  acked: Map<string, Set<number>>;
  total(): number;
  drain(): Promise<void>;
}

/** `scanners` CT scanners each publishing one normal reading (1 sample) every `intervalMs`, QoS 1. */
export async function publishLoad(url: string, scanners: string[], intervalMs: number): Promise<Load> {
  const client = await mqtt.connectAsync(url, { clientId: `load-${process.pid}`, clean: true, reconnectPeriod: 300 });
  const acked = new Map(scanners.map((s) => [s, new Set<number>()]));
  const pending = new Set<Promise<void>>();
  let ts = Date.now() - 600_000;
  const timer = setInterval(() => {
    for (const s of scanners) {
      const t = ts++;
      const p = client.publishAsync(`gantry/v1/ha/ct/${s}/telemetry`, JSON.stringify({ samples: [{ ts: t, metrics: { power_kw: 40, tube_temp_c: 45 } }] }), { qos: 1 })
        .then(() => { acked.get(s)?.add(t); }, () => undefined);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
  }, intervalMs);
  return {
    acked,
    total: () => [...acked.values()].reduce((n, x) => n + x.size, 0),
    drain: async () => {
      clearInterval(timer);
      const deadline = Date.now() + 20_000;
      while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await client.endAsync();
    },
  };
}

/** Timestamps stored for a scanner (one row per point; a duplicate write would still be one point). */
export async function storedTs(influx: InfluxStore, scanner: string): Promise<number[]> {
  const res = await influx.query(`SELECT "power_kw" FROM "telemetry" WHERE "scanner" = '${scanner}'`);
  return (res[0]?.[0]?.values ?? []).map((row) => Number(row[0]));
}

/** The instance holding the leader lease of the default key prefix ('' when none). */
export async function leaderOf(redisUrl: string): Promise<string> {
  const c = createClient({ url: redisUrl });
  await c.connect();
  try { return holderOf(await c.get('gantry:leader')) ?? ''; } finally { c.destroy(); }
}
