// The compose stack without Docker: Gantry started exactly as the image starts it (the Dockerfile's CMD and
// ENV, the compose file's environment for the gantry service), with the two service hostnames pointed at
// a private InfluxDB and at Debian's Mosquitto running docker/mosquitto's config, ACL and password file.
// A device with its own broker account sends telemetry that lands in InfluxDB, a spoofed topic does not,
// the Dockerfile's HEALTHCHECK command passes against the running server, and SIGTERM stops it cleanly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { spawnGuarded } from '../../server/services/process-guard.js';
import { mkdtempSync, readFileSync, rmSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startPrivateInfluxd, type PrivateInfluxd } from '../../server/services/private-influxd.js';
import { InfluxStore } from '../../server/storage/influx.js';
import { freePort, waitFor } from '../../lib/net.js';
import { compose } from './support/compose-file.js';
import { startStackMosquitto, type StackBroker } from './support/stack-mosquitto.js';

const dockerfile = readFileSync('docker/Dockerfile', 'utf8');
const DEVICE = { username: 'central-mri-7', password: 'device-7-secret' };

/** ENV of the Dockerfile's last stage (KEY=VALUE pairs, continuation lines joined). */
function imageEnv(): Record<string, string> {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const m of runtime.replace(/\\\n/g, ' ').matchAll(/^ENV\s+(.+)$/gm)) {
    for (const pair of (m[1] as string).trim().split(/\s+/)) {
      const [k, v] = pair.split('=');
      if (k && v !== undefined) env[k] = v;
    }
  }
  return env;
}

function healthcheckCommand(): string[] {
  const m = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile);
  assert.ok(m, 'HEALTHCHECK CMD in exec form');
  return JSON.parse(m[1] as string) as string[];
}

let dir = '';
let influxd: PrivateInfluxd | undefined;
let broker: StackBroker | undefined;
let gantry: ChildProcess | undefined;
let httpPort = 0;
let store: InfluxStore;
const env = compose.services.gantry?.environment ?? {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gantry-deploy-stack-'));
  influxd = await startPrivateInfluxd({ dataDir: join(dir, 'influxdb') });
  broker = await startStackMosquitto(mkdtempSync(join(tmpdir(), 'gantry-deploy-stack-mqtt-')), { username: env.GANTRY_MQTT_USERNAME ?? '', password: env.GANTRY_MQTT_PASSWORD ?? '' }, [DEVICE]);
  httpPort = await freePort();
  const processEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '', ...imageEnv(), ...env,
    // What Docker's network and volumes provide in the stack:
    GANTRY_INFLUX_URL: (env.GANTRY_INFLUX_URL ?? '').replace('http://influxdb:8086', influxd.url),
    GANTRY_MQTT_URL: (env.GANTRY_MQTT_URL ?? '').replace('mqtt://mosquitto:1883', broker.url),
    GANTRY_DATA_DIR: join(dir, 'gantry'),
    GANTRY_HTTP_PORT: String(httpPort),
    GANTRY_HTTP_WEB_DIST: 'web/dist',
  };
  assert.notEqual(processEnv.GANTRY_INFLUX_URL, env.GANTRY_INFLUX_URL);
  assert.notEqual(processEnv.GANTRY_MQTT_URL, env.GANTRY_MQTT_URL);
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
  const log = openSync(join(dir, 'gantry.log'), 'a');
  gantry = spawnGuarded(cmd[0] === 'node' ? process.execPath : (cmd[0] as string), cmd.slice(1), { env: processEnv, stdio: ['ignore', log, log] });
  const proc = gantry;
  await waitFor(`Gantry /health (log ${join(dir, 'gantry.log')})`, async () => {
    if (proc.exitCode !== null) throw new Error(`Gantry exited with ${proc.exitCode}: ${readFileSync(join(dir, 'gantry.log'), 'utf8').slice(-2000)}`);
    return (await fetch(`http://127.0.0.1:${httpPort}/health`)).status === 200;
  }, 60000, 200);
  store = new InfluxStore({ url: influxd.url, database: env.GANTRY_INFLUX_DATABASE ?? 'gantry', retentionPolicy: 'raw' });
});

after(async () => {
  const proc = gantry;
  if (proc && proc.exitCode === null) await new Promise<void>((r) => { proc.once('exit', () => r()); proc.kill('SIGKILL'); });
  await broker?.stop();
  await influxd?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (broker) rmSync(broker.dir, { recursive: true, force: true });
});

function runHealthcheck(port: number): number | null {
  const [bin, ...args] = healthcheckCommand();
  return spawnSync(bin === 'node' ? process.execPath : (bin as string), args, { env: { GANTRY_HTTP_PORT: String(port) }, timeout: 10000 }).status;
}

test("the Dockerfile's HEALTHCHECK command passes against the running server and reports both dependencies", async () => {
  assert.equal(runHealthcheck(httpPort), 0);
  const health = await (await fetch(`http://127.0.0.1:${httpPort}/health`)).json() as { status: string; checks: { mqtt: { ok: boolean; detail: string } } };
  assert.equal(health.status, 'ok');
  assert.match(health.checks.mqtt.detail, /connected to mqtt:\/\/127\.0\.0\.1/);
});

test('a device with its own account sends telemetry through the stack broker into InfluxDB; a spoofed topic is dropped', async () => {
  const ts = Date.now();
  // Mosquitto 2.0.11 closes a connection after refusing a publish, so the spoof gets a connection of its own.
  const spoofer = await mqtt.connectAsync(broker?.url ?? '', { ...DEVICE, reconnectPeriod: 0 });
  await spoofer.publishAsync('gantry/v1/central/mri/central-ct-9/telemetry', JSON.stringify({ ts, metrics: { power_kw: 99.5 } }), { qos: 1 });
  await spoofer.endAsync(true);
  const device = await mqtt.connectAsync(broker?.url ?? '', { ...DEVICE, reconnectPeriod: 0 });
  try {
    await device.publishAsync('gantry/v1/central/mri/central-mri-7/telemetry', JSON.stringify({ ts, metrics: { helium_level_pct: 71.25 } }), { qos: 1 });
    await waitFor('the reading in InfluxDB', async () => {
      const [s] = await store.query(`SELECT "helium_level_pct" FROM "telemetry" WHERE "scanner" = 'central-mri-7'`);
      return s?.[0]?.values[0]?.[1] === 71.25;
    }, 15000, 100);
    const [spoofed] = await store.query(`SELECT * FROM "telemetry" WHERE "scanner" = 'central-ct-9'`);
    assert.deepEqual(spoofed, []);
  } finally {
    await device.endAsync();
  }
});

test('SIGTERM stops Gantry cleanly, and the HEALTHCHECK then fails', async () => {
  const proc = gantry as ChildProcess;
  const code = await new Promise<number | null>((r) => { proc.once('exit', (c) => r(c)); proc.kill('SIGTERM'); });
  assert.equal(code, 0);
  assert.equal(runHealthcheck(httpPort), 1);
});
