// InfluxDB is killed for 15 s during a steady publish and restarted: the spool holds what was accepted,
// the alarm and /health say so, and afterwards every acknowledged point is in InfluxDB exactly once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep } from '../../lib/net.js';
import { eventually, metricValue, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { assertAckedStoredOnce, steadyPublisher } from './helpers.js';

let p: TestPlatform;
before(async () => {
  // A small spool with a low alarm level, so the outage visibly raises the alarm.
  p = await startTestPlatform({ 'ingest.spoolMaxBytes': 1048576, 'ingest.spoolAlarmPct': 10, 'influx.retryMaxDelayMs': 1000, 'influx.maxRetries': 1 });
});
after(async () => { await p?.close(); });

test('InfluxDB down for 15 s: every accepted point is present afterwards, none twice', { timeout: 90000 }, async () => {
  const influxd = p.privateInfluxd;
  assert.ok(influxd, 'test platform runs a private influxd');
  const startTs = Date.now() - 3600000;
  const pub = await steadyPublisher(p.mqttUrl, 'outage-1', { intervalMs: 20, samplesPerMessage: 40, startTs });
  await sleep(2000);
  await influxd.kill('SIGKILL');
  const outageStarted = Date.now();
  const degraded = await eventually('health degraded', async () => (await fetch(`${p.url}/health`)).json() as Promise<{ status: string; checks: { influxdb: { ok: boolean }; spool?: { ok: boolean } } }>,
    (h) => h.status === 'degraded' && !h.checks.influxdb.ok && h.checks.spool?.ok === false, 25000);
  assert.equal(degraded.checks.spool?.ok, false);
  await eventually('spool alarm gauge', () => metricValue(p.url, 'gantry_spool_alarm'), (v) => v === 1, 3000);
  await sleep(Math.max(0, 15000 - (Date.now() - outageStarted)));
  await influxd.restart();
  await sleep(2000);
  await assertAckedStoredOnce(p.influx, 'outage-1', pub);
  await eventually('alarm cleared', () => metricValue(p.url, 'gantry_spool_alarm'), (v) => v === 0, 5000);
  assert.ok(await metricValue(p.url, 'gantry_influx_write_errors_total') > 0);
  // 15 s of this load (~2,000 samples/s) is more than the 1 MiB spool: the full spool refused, and the redelivery made up for it.
  assert.ok(await metricValue(p.url, 'gantry_ingest_unacknowledged_total') > 0, 'the spool filled up during the outage');
});
