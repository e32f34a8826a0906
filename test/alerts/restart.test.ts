// A restart with firing, acknowledged and silenced alerts: the engine rebuilds its state from the alert
// events in InfluxDB, so the alerts are identical afterwards and nobody is notified twice.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Alert } from '../../contracts/index.js';
import type { Silence } from '../../contracts/alert-silences.js';
import { sleep } from '../../lib/net.js';
import { eventually, tempDir, type TestPlatform } from '../support/platform.js';
import { apiCall, Publisher, Receiver, rulesDir, startAlertPlatform } from './support.js';

const dataDir = tempDir('restart');
let hooks: Receiver | undefined;
let p: TestPlatform | undefined;
after(async () => { await p?.close(); await hooks?.close(); rmSync(dataDir, { recursive: true, force: true }); });

const open = (list: Alert[]) => list.filter((a) => a.state !== 'resolved').sort((a, b) => a.id.localeCompare(b.id))
  .map(({ id, state, severity, firedAt, ackedBy, ackedAt, ackComment, silenced, silenceIds, notifiedState, value }) =>
    ({ id, state, severity, firedAt, ackedBy, ackedAt, ackComment, silenced, silenceIds, notifiedState, value }));

test('restart with firing, acknowledged and silenced alerts: same state, no duplicate notification', async () => {
  hooks = await Receiver.start();
  const dir = rulesDir({ 'r.yaml': `
rules:
  - { id: hot, kind: threshold, metric: tube_temp_c, op: above, warning: 100, critical: 150, recover: 90 }
channels:
  - { id: hook, type: webhook, url: "${hooks.url}/hook" }
routes:
  - { id: all, channels: [hook] }
` });
  p = await startAlertPlatform(dir, { dataDir });
  let pub = await Publisher.connect(p.mqttUrl);
  const silence = await (await apiCall(p, '/api/alerts/silences', 'POST',
    { matchers: [{ name: 'scannerId', value: 'rs-3' }], endsAt: Date.now() + 600_000, createdBy: 'it.ops' })).json() as Silence;
  for (const s of ['rs-1', 'rs-2', 'rs-3']) await pub.send(`central/ct/${s}`, { tube_temp_c: 160 });
  await eventually('two notified', async () => hooks?.requests.length ?? 0, (n) => n >= 2);
  const ack = await apiCall(p, '/api/alerts/hot:rs-2/ack', 'POST', { by: 'sam.it', comment: 'rebooting' });
  assert.equal(ack.status, 200);
  await sleep(200);
  const before = open(p.alerting.list());
  assert.deepEqual(before.map((a) => [a.id, a.state, a.silenced]), [['hot:rs-1', 'firing', false], ['hot:rs-2', 'acknowledged', false], ['hot:rs-3', 'firing', true]]);
  const sentBefore = hooks.requests.length;
  assert.equal(sentBefore, 2, 'the silenced alert was not notified');
  await pub.close();
  await p.close();

  p = await startAlertPlatform(dir, { dataDir });
  pub = await Publisher.connect(p.mqttUrl);
  assert.deepEqual(open(p.alerting.list()), before, 'identical open alerts after the restart');
  const silences = await (await apiCall(p, '/api/alerts/silences')).json() as Silence[];
  assert.deepEqual(silences.map((s) => s.id), [silence.id]);
  for (const s of ['rs-1', 'rs-2', 'rs-3']) await pub.send(`central/ct/${s}`, { tube_temp_c: 160 });
  await sleep(500);
  assert.equal(hooks.requests.length, sentBefore, 'no notification repeated after the restart');
  assert.deepEqual(open(p.alerting.list()).map((a) => a.state), ['firing', 'acknowledged', 'firing']);
  await pub.send('central/ct/rs-1', { tube_temp_c: 80 });
  await eventually('resolution notified', async () => hooks?.about('/hook', 'hot:rs-1').map((b) => b.reason) ?? [], (r) => r.includes('resolved'));
  await sleep(200);
  assert.deepEqual(hooks.about('/hook', 'hot:rs-1').map((b) => b.reason), ['firing', 'resolved']);
  await pub.close();
});
