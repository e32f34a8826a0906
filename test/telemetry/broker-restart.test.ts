// Mosquitto is restarted mid-stream: the collector reconnects on its persistent session and resumes, and
// every message the broker acknowledged to the publisher ends up in InfluxDB.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep } from '../../lib/net.js';
import { startPrivateMosquitto, type PrivateMosquitto } from '../../server/services/private-mosquitto.js';
import { eventually, startTestPlatform, tempDir, type TestPlatform } from '../support/platform.js';
import { countPoints, steadyPublisher, storedTimestamps } from './helpers.js';

let p: TestPlatform;
let mosq: PrivateMosquitto;
before(async () => {
  mosq = await startPrivateMosquitto({ dir: tempDir('mosq') });
  p = await startTestPlatform({ 'mqtt.url': mosq.url });
});
after(async () => { await p?.close(); await mosq?.stop(); });

test('broker restarted mid-stream: the collector reconnects and nothing is lost', { timeout: 60000 }, async () => {
  const pub = await steadyPublisher(mosq.url, 'restart-1', { intervalMs: 10, samplesPerMessage: 5, startTs: Date.now() - 3600000 });
  await sleep(2000);
  // A clean stop: Mosquitto writes its persistence file, so queued messages survive (a SIGKILL'd broker
  // loses up to autosave_interval of them, which no subscriber can prevent).
  await mosq.kill('SIGTERM');
  await sleep(1500);
  await mosq.restart();
  await eventually('collector reconnected', async () => (await fetch(`${p.url}/health`)).json() as Promise<{ checks: { mqtt: { ok: boolean } } }>, (h) => h.checks.mqtt.ok, 15000);
  await sleep(2000);
  await pub.drain();
  const expected = pub.acked.size;
  assert.ok(expected > 1000, `published enough (${expected})`);
  await eventually('all acknowledged points in InfluxDB', () => countPoints(p.influx, 'restart-1'), (n) => n >= expected, 20000)
    .catch(() => undefined); // the assertion below names what is missing
  const stored = new Set(await storedTimestamps(p.influx, 'restart-1'));
  const missing = [...pub.acked].filter((t) => !stored.has(t));
  assert.deepEqual(missing.length === 0 ? 'none' : { missing: missing.length, of: expected, fromIndex: Math.min(...missing) - pub.startTs }, 'none');
  assert.equal((await storedTimestamps(p.influx, 'restart-1')).length, expected, 'none twice');
});
