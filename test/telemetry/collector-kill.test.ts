// The collector runs as its own process (server/telemetry/collector-process.ts) against a private Mosquitto
// and InfluxDB, is killed with SIGKILL mid-stream and started again: every QoS 1 message the broker
// accepted is in InfluxDB, exactly once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawnGuarded } from '../../server/services/process-guard.js';
import { sleep } from '../../lib/net.js';
import { startPrivateInfluxd, type PrivateInfluxd } from '../../server/services/private-influxd.js';
import { startPrivateMosquitto, type PrivateMosquitto } from '../../server/services/private-mosquitto.js';
import { InfluxStore } from '../../server/storage/influx.js';
import { eventually, tempDir } from '../support/platform.js';
import { countPoints, steadyPublisher, storedTimestamps } from './helpers.js';

let influxd: PrivateInfluxd;
let mosq: PrivateMosquitto;
const dataDir = tempDir('collector');

function startCollector(): Promise<ChildProcess> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GANTRY_')) env[k] = v;
  Object.assign(env, {
    GANTRY_MQTT_URL: mosq.url, GANTRY_INFLUX_URL: influxd.url, GANTRY_DATA_DIR: dataDir,
    GANTRY_MQTT_CLIENT_ID: 'gantry-kill-test', GANTRY_LOG_LEVEL: 'warn', GANTRY_INFLUX_FLUSH_INTERVAL_MS: '50',
  });
  const child = spawnGuarded(process.execPath, ['--import', 'tsx', 'server/telemetry/collector-process.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('collector ready')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
}

before(async () => {
  influxd = await startPrivateInfluxd({ dataDir: tempDir('influx') });
  mosq = await startPrivateMosquitto({ dir: tempDir('mosq') });
});
after(async () => { await mosq?.stop(); await influxd?.stop(); });

test('collector SIGKILLed mid-stream and restarted: every published QoS 1 point is present once', { timeout: 60000 }, async () => {
  let collector = await startCollector();
  const pub = await steadyPublisher(mosq.url, 'kill-1', { intervalMs: 5, samplesPerMessage: 2, startTs: Date.now() - 3600000 });
  await sleep(2500);
  collector.kill('SIGKILL');
  await new Promise((r) => collector.once('exit', r));
  await sleep(1500); // the broker queues for the persistent session meanwhile
  collector = await startCollector();
  await sleep(2000);
  await pub.drain();
  const influx = new InfluxStore({ url: influxd.url, database: 'gantry', retentionPolicy: 'raw' });
  const expected = pub.acked.size;
  try {
    assert.ok(expected > 1000, `published enough (${expected})`);
    await eventually('all points in InfluxDB', () => countPoints(influx, 'kill-1'), (n) => n >= expected, 20000);
    const stored = await storedTimestamps(influx, 'kill-1');
    assert.equal(stored.length, expected);
    assert.deepEqual(new Set(stored), pub.acked);
  } finally {
    collector.kill('SIGTERM');
    await new Promise((r) => collector.once('exit', r));
  }
});
