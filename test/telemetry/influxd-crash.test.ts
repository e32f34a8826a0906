// The private influxd is SIGKILLed from outside (a crash, the OOM killer) during a steady publish: Gantry
// starts a new one by itself (backoff shortened by config so the test is quick), /health goes degraded and
// back to ok, /metrics counts the restart, and every acknowledged point ends up in InfluxDB exactly once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sleep } from '../../lib/net.js';
import { eventually, metricValue, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { assertAckedStoredOnce, steadyPublisher } from './helpers.js';

let p: TestPlatform;
before(async () => {
  p = await startTestPlatform({ 'services.restartMinDelayMs': 1500, 'services.restartMaxDelayMs': 5000, 'influx.retryMaxDelayMs': 500 });
});
after(async () => { await p?.close(); });

interface HealthBody { status: string; checks: { influxdb: { ok: boolean; detail?: string } } }
const health = async (): Promise<HealthBody> => (await fetch(`${p.url}/health`)).json() as Promise<HealthBody>;

test('a SIGKILLed private influxd is restarted, /health and /metrics say so, no accepted point is lost', { timeout: 60000 }, async () => {
  const first = p.privateInfluxd?.state().pid;
  assert.ok(first, 'the platform runs a private influxd');
  assert.equal(await metricValue(p.url, 'gantry_service_up', '{service="influxd"}'), 1);
  assert.equal(await metricValue(p.url, 'gantry_service_restarts_total', '{service="influxd"}'), 0);

  const pub = await steadyPublisher(p.mqttUrl, 'crash-1', { intervalMs: 20, samplesPerMessage: 10, startTs: Date.now() - 3600000 });
  await sleep(1000);
  process.kill(first, 'SIGKILL');
  const down = await eventually('health degraded', health, (h) => h.status === 'degraded' && !h.checks.influxdb.ok, 5000);
  assert.match(down.checks.influxdb.detail ?? '', /private influxd down \(signal SIGKILL\)/);
  assert.equal(await metricValue(p.url, 'gantry_service_up', '{service="influxd"}'), 0);

  await eventually('health ok again', health, (h) => h.status === 'ok', 30000);
  const second = p.privateInfluxd?.state().pid;
  assert.ok(second && second !== first, 'a new influxd process serves the folder');
  assert.match(readFileSync(`/proc/${second}/cmdline`, 'utf8'), /influxd/);
  assert.equal(await metricValue(p.url, 'gantry_service_restarts_total', '{service="influxd"}'), 1);
  assert.equal(await metricValue(p.url, 'gantry_service_up', '{service="influxd"}'), 1);

  await assertAckedStoredOnce(p.influx, 'crash-1', pub);
});
