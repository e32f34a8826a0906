// Threshold (with "for" and hysteresis), rate-of-change and no-data rules, fed crafted telemetry through a
// real broker, seen on the bus and by a Socket.IO client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'socket.io-client';
import type { Alert } from '../../contracts/index.js';
import { sleep } from '../../lib/net.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { Publisher, Recorder, rulesDir, socketOf, startAlertPlatform } from './support.js';

const RULES = `
rules:
  - { id: helium, kind: threshold, metric: helium_level_pct, op: below, warning: 60, critical: 50, recover: 62.5, scope: { scannerId: [thr-1] } }
  - { id: chiller, kind: threshold, metric: chiller_water_temp_c, op: above, warning: 22, recover: 20, for: 800, scope: { scannerId: [thr-2] } }
  - id: helium-loss
    kind: rate
    metric: helium_level_pct
    window: 10m
    per: 1h
    op: below
    warning: -1
    recover: -0.5
    scope: { scannerId: [rate-1] }
  - { id: silent, kind: nodata, interval: 100, intervals: 3, scope: { scannerId: [nod-1] } }
`;

let p: TestPlatform;
let pub: Publisher;
let rec: Recorder;
let sock: Socket;
const socketAlerts: Alert[] = [];
let snapshot: Alert[] = [];
before(async () => {
  p = await startAlertPlatform(rulesDir({ 'test.yaml': RULES }));
  pub = await Publisher.connect(p.mqttUrl);
  rec = new Recorder(p.bus);
  sock = socketOf(p);
  sock.on('alert', (a: Alert) => socketAlerts.push(a));
  await new Promise<void>((r) => sock.on('connect', () => r()));
});
after(async () => { sock?.close(); rec?.stop(); await pub?.close(); await p?.close(); });

test('threshold: fires below the limit, holds inside the hysteresis band, resolves past the recovery level', async () => {
  const id = 'helium:thr-1';
  for (const [i, level] of [70, 65, 59.5, 60.5, 59.8, 61.9, 49, 59.9, 62.5, 63].entries()) {
    await pub.send('central/mri/thr-1', { helium_level_pct: level }, Date.now() - 60000 + i * 100);
  }
  await eventually('fire and resolve', async () => rec.transitions(id), (t) => t.includes('resolved'));
  const changes = rec.of(id);
  assert.deepEqual(rec.transitions(id), ['firing', 'resolved']);
  assert.equal(changes[0]?.value, 59.5);
  assert.equal(changes[0]?.severity, 'warning');
  assert.equal(changes.find((a) => a.severity === 'critical')?.value, 49, 'severity rises to critical at 49');
  assert.equal(changes[changes.length - 1]?.value, 62.5);
  assert.match(changes[0]?.message ?? '', /below 60 % on thr-1 \(central\)/);
  await eventually('socket saw both', async () => socketAlerts.filter((a) => a.id === id).map((a) => a.state), (s) => s.includes('resolved'));
});

test('threshold "for" and hysteresis: a noisy signal crossing repeatedly neither fires early nor flaps', async () => {
  const id = 'chiller:thr-2';
  const send = (v: number) => pub.send('central/ct/thr-2', { chiller_water_temp_c: v });
  const seenStates = new Set<string>();
  for (let i = 0; i < 16; i++) { await send(i % 2 ? 23 : 21); await sleep(50); seenStates.add(p.alerting.get(id)?.state ?? 'none'); }
  assert.ok(!rec.transitions(id).includes('firing'), `short excursions must not fire: ${rec.transitions(id).join(',')}`);
  assert.ok(seenStates.has('pending'), 'excursions go pending (visible in the API, not on the live feed)');
  assert.equal(rec.of(id).length, 0, 'nothing on the live feed while only pending');
  for (let i = 0; i < 20; i++) { await send(23 + (i % 3) * 0.1); await sleep(50); }
  await eventually('fires after "for"', async () => rec.transitions(id), (t) => t.includes('firing'));
  const firing = rec.of(id).find((a) => a.state === 'firing') as Alert;
  assert.ok((firing.firedAt as number) - firing.startsAt >= 800, 'fired no earlier than "for"');
  for (let i = 0; i < 16; i++) { await send(i % 2 ? 23 : 21); await sleep(20); }
  await sleep(100);
  assert.equal(rec.of(id).filter((a) => a.state === 'resolved' && a.firedAt).length, 0, 'inside the band it stays firing');
  await send(19.5);
  await eventually('resolves past recovery', async () => rec.transitions(id), (t) => t[t.length - 1] === 'resolved');
  const t = rec.transitions(id);
  assert.equal(t.filter((s) => s === 'firing').length, 1, `one firing episode: ${t.join(',')}`);
});

test('rate of change: helium falling 3 %/h fires; a level that stops falling resolves', async () => {
  const id = 'helium-loss:rate-1';
  const base = Date.now() - 3 * 3_600_000;
  let level = 80;
  for (let i = 0; i < 12; i++) { await pub.send('north/mri/rate-1', { helium_level_pct: level }, base + i * 60_000); level -= 0.05; }
  await eventually('rate alert fires', async () => rec.transitions(id), (t) => t.includes('firing'));
  const a = rec.of(id).find((x) => x.state === 'firing') as Alert;
  assert.ok(a.value < -2.5 && a.value > -3.5, `rate ≈ -3 %/h, got ${a.value}`);
  assert.equal(a.unit, '%/h');
  for (let i = 12; i < 26; i++) await pub.send('north/mri/rate-1', { helium_level_pct: level }, base + i * 60_000);
  await eventually('rate alert resolves', async () => rec.transitions(id), (t) => t[t.length - 1] === 'resolved');
});

test('no data: a scanner that stops reporting for N intervals fires, reporting again resolves; snapshot lists it', async () => {
  const id = 'silent:nod-1';
  let lastSend = 0;
  for (let i = 0; i < 4; i++) { await pub.send('south/us/nod-1', { probe_temp_c: 30 }); lastSend = Date.now(); await sleep(50); }
  await eventually('no-data fires', async () => rec.transitions(id), (t) => t.includes('firing'), 3000);
  const fired = rec.of(id)[0] as Alert;
  assert.ok((fired.firedAt as number) - lastSend > 250, 'fired only after 3 × 100 ms of silence');
  const s2 = socketOf(p);
  snapshot = await new Promise<Alert[]>((r) => s2.on('alerts:snapshot', (a: Alert[]) => r(a)));
  s2.close();
  assert.ok(snapshot.some((a) => a.id === id && a.state === 'firing'), 'a new dashboard gets the open alert in its snapshot');
  await pub.send('south/us/nod-1', { probe_temp_c: 30 });
  await eventually('no-data resolves', async () => rec.transitions(id), (t) => t[t.length - 1] === 'resolved');
});
