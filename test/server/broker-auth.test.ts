// Embedded broker security: credentials required, wrong ones refused, and a device may only publish to the
// topics its ACL lists. mosquitto_pub with a device credential (the README's example) works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import mqtt from 'mqtt';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
let password = '';
const latest = async (): Promise<string[]> => ((await (await p.api('/api/telemetry/latest')).json()) as { scannerId: string }[]).map((r) => r.scannerId);
const sample = () => JSON.stringify({ ts: Date.now(), metrics: { helium_level_pct: 80 } });

before(async () => {
  p = await startTestPlatform({ 'mqtt.allowAnonymous': false, 'mqtt.loginDelayBaseMs': 10 });
  const res = await p.api('/api/mqtt/devices', { method: 'POST', json: { username: 'gw-a', publish: ['gantry/v1/central/mri/dev-a/+'] } });
  assert.equal(res.status, 201);
  password = ((await res.json()) as { password: string }).password;
});
after(async () => { await p?.close(); });

test('no credentials and wrong credentials are refused', async () => {
  await assert.rejects(mqtt.connectAsync(p.mqttUrl, { reconnectPeriod: 0 }), /Bad username or password|Not authorized/);
  await assert.rejects(mqtt.connectAsync(p.mqttUrl, { reconnectPeriod: 0, username: 'gw-a', password: 'wrong' }), /Bad username or password/);
  await assert.rejects(mqtt.connectAsync(p.mqttUrl, { reconnectPeriod: 0, username: 'gantry-internal', password: 'guess' }), /Bad username or password/);
});

test("a device cannot publish to another device's topic or subscribe to the fleet", async () => {
  const bad = await mqtt.connectAsync(p.mqttUrl, { reconnectPeriod: 0, clientId: 'gw-a', username: 'gw-a', password });
  // SUBACK 0x80: mqtt.js reports a refused subscription as an error; the connection stays open.
  await assert.rejects(bad.subscribeAsync('gantry/v1/#', { qos: 1 }), /Subscribe error/);
  assert.ok(bad.connected);
  bad.publish('gantry/v1/central/mri/dev-b/telemetry', sample(), { qos: 1 });
  await new Promise((r) => setTimeout(r, 300));
  bad.end(true);
  const good = await mqtt.connectAsync(p.mqttUrl, { reconnectPeriod: 0, clientId: 'gw-a-1', username: 'gw-a', password });
  await good.publishAsync('gantry/v1/central/mri/dev-a/telemetry', sample(), { qos: 1 });
  await good.endAsync();
  await eventually('own topic accepted', latest, (ids) => ids.includes('dev-a'));
  assert.ok(!(await latest()).includes('dev-b'), 'message on a foreign topic was delivered');
});

test('mosquitto_pub with a device credential works (README example)', { skip: !existsSync('/usr/bin/mosquitto_pub') && 'mosquitto-clients not installed' }, async () => {
  const port = new URL(p.mqttUrl).port;
  // Asynchronous: the broker runs in this process, a blocking spawn would starve it.
  const pub = (pw: string) => promisify(execFile)('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-q', '1', '-i', 'gw-a-cli', '-u', 'gw-a', '-P', pw, '-t', 'gantry/v1/central/mri/dev-a/telemetry', '-m', sample()], { timeout: 10_000 });
  await pub(password);
  await assert.rejects(pub('nope'), /not authori[sz]ed|Connection Refused|bad user name or password/i);
});
