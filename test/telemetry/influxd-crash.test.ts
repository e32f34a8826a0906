// The private influxd is SIGKILLed from outside (a crash, the OOM killer) during a steady publish: Gantry
// starts a new one by itself (after services.restartMinDelayMs, 1 s by default), /health goes degraded
// and back to ok, /metrics counts the restart, and every acknowledged point ends up in InfluxDB once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sleep } from '../../lib/net.js';
import { eventually, metricValue, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { parentOf, processesWithConfig } from '../support/processes.js';
import { assertAckedStoredOnce, steadyPublisher, type SteadyPublisher } from './helpers.js';

let p: TestPlatform;
let pub: SteadyPublisher | undefined;
before(async () => {
  p = await startTestPlatform({ 'influx.retryMaxDelayMs': 500 });
});
// A failed assertion must not leave the publisher's timer keeping the test process alive.
after(async () => { await pub?.stop().catch(() => undefined); await p?.close(); });

interface HealthBody { status: string; checks: { influxdb: { ok: boolean; detail?: string } } }
const health = async (): Promise<HealthBody> => (await fetch(`${p.url}/health`)).json() as Promise<HealthBody>;

test('a SIGKILLed private influxd is restarted, /health and /metrics say so, no accepted point is lost', { timeout: 60000 }, async () => {
  assert.ok(p.privateInfluxd, 'the platform runs a private influxd');
  const conf = join(p.privateInfluxd.dataDir, 'influxdb.conf');
  const [first, ...more] = processesWithConfig('influxd', conf);
  assert.ok(first !== undefined && more.length === 0, 'one influxd serves the folder');

  pub = await steadyPublisher(p.mqttUrl, 'crash-1', { intervalMs: 20, samplesPerMessage: 10, startTs: Date.now() - 3600000 });
  await sleep(1000);
  process.kill(first, 'SIGKILL');
  // Ping failures may say degraded a moment before the exit is seen; the detail then names the crash.
  await eventually('health degraded, naming the crash', health, (h) => h.status === 'degraded' && /private influxd down \(signal SIGKILL\)/.test(h.checks.influxdb.detail ?? ''), 5000);
  const upWhileDown = await metricValue(p.url, 'gantry_service_up', '{service="influxd"}');

  // Default backoff: the first restart comes 1 s after the crash.
  await eventually('health ok again', health, (h) => h.status === 'ok', 30000);
  const now = processesWithConfig('influxd', conf);
  assert.equal(now.length, 1, `exactly one influxd on the folder, found ${now.join(', ')}`);
  assert.notEqual(now[0], first, 'a new influxd process serves the folder');
  assert.equal(parentOf(now[0] as number), process.pid, 'started by Gantry (here: the test process)');
  assert.equal(upWhileDown, 0);
  assert.equal(await metricValue(p.url, 'gantry_service_up', '{service="influxd"}'), 1);
  assert.equal(await metricValue(p.url, 'gantry_service_restarts_total', '{service="influxd"}'), 1);

  await assertAckedStoredOnce(p.influx, 'crash-1', pub);
});
