// The first rule end to end: helium readings published over MQTT raise an alert on the event bus and
// over Socket.IO, and clear it only after recovery past the hysteresis band.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { io as ioClient } from 'socket.io-client';
import type { Alert } from '../../contracts/index.js';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => { p = await startTestPlatform({ 'alerts.heliumLowPct': 60, 'alerts.heliumHysteresisPct': 2 }); });
after(async () => { await p?.close(); });

test('helium below the limit fires, hovering near it does not clear, recovery resolves', async () => {
  const seen: Alert[] = [];
  const socketAlerts: Alert[] = [];
  const off = p.bus.on('alert', (a) => seen.push(a));
  const sock = ioClient(p.url, { transports: ['websocket'], extraHeaders: { cookie: p.adminCookie } });
  sock.on('alert', (a: Alert) => socketAlerts.push(a));
  await new Promise<void>((r) => sock.on('connect', () => r()));
  const client = await mqtt.connectAsync(p.mqttUrl);
  const send = (level: number, i: number) => client.publishAsync('gantry/v1/central/mri/central-mri-7/telemetry',
    JSON.stringify({ ts: Date.now() - 60000 + i * 100, metrics: { helium_level_pct: level } }), { qos: 1 });
  try {
    const levels = [70, 65, 59.5, 60.5, 59.8, 61.9, 59.9, 62.5, 63];
    for (const [i, level] of levels.entries()) await send(level, i);
    await eventually('fire and resolve', async () => seen.length, (n) => n >= 2);
    await eventually('socket got both', async () => socketAlerts.length, (n) => n >= 2);
    assert.deepEqual(seen.map((a) => [a.state, a.value]), [['firing', 59.5], ['resolved', 62.5]]);
    assert.equal(seen[0]?.scannerId, 'central-mri-7');
    assert.equal(seen[0]?.severity, 'critical');
    assert.deepEqual(socketAlerts.map((a) => a.state), ['firing', 'resolved']);
  } finally {
    off();
    sock.close();
    await client.endAsync();
  }
});
