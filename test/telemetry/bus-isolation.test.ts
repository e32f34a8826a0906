// The event bus sits after the spool, off the acknowledgement path: a listener that throws or is slow must
// neither change what is stored nor make the broker redeliver (which would show up as duplicates).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { EventBus } from '../../lib/event-bus.js';
import { eventually, metricValue, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { countPoints } from './helpers.js';

test('bus: a throwing listener is isolated; defer() returns before any listener runs', async () => {
  const bus = new EventBus();
  const seen: string[] = [];
  const errors: string[] = [];
  bus.onListenerError((_e, event, listener) => errors.push(`${event}:${listener}`));
  bus.on('reject', () => { throw new Error('boom'); }, 'thrower');
  bus.on('reject', (r) => seen.push(r.detail), 'recorder');
  bus.emit('reject', { reason: 'malformed_json', topic: 't', detail: 'now' });
  assert.deepEqual(seen, ['now']);
  bus.defer('reject', { reason: 'malformed_json', topic: 't', detail: 'later' });
  assert.deepEqual(seen, ['now'], 'deferred: not delivered inside the caller');
  assert.equal(bus.pending(), 1);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, ['now', 'later']);
  assert.deepEqual(errors, ['reject:thrower', 'reject:thrower']);
  const stats = bus.stats().find((s) => s.listener === 'recorder');
  assert.equal(stats?.delivered, 2);
  assert.ok((stats?.maxLagMs ?? -1) >= 0);
});

let p: TestPlatform;
before(async () => { p = await startTestPlatform(); });
after(async () => { await p?.close(); });

test('ingest: a listener that throws and one that stalls change neither the stored count nor cause redelivery', async () => {
  const scanner = 'iso-ct-1';
  const received: number[] = [];
  const offs = [
    p.bus.on('telemetry', (r) => { if (r.scannerId === scanner) throw new Error('listener bug'); }, 'test-thrower'),
    p.bus.on('telemetry', (r) => {
      if (r.scannerId !== scanner) return;
      const until = performance.now() + 3; // a slow listener: 3 ms of busy work per reading
      while (performance.now() < until) { /* stall */ }
    }, 'test-sleeper'),
    p.bus.on('telemetry', (r) => { if (r.scannerId === scanner) received.push(r.ts); }, 'test-counter'),
  ];
  try {
    const n = 200;
    const t0 = Date.now() - 60_000;
    const client = await mqtt.connectAsync(p.mqttUrl);
    await Promise.all(Array.from({ length: n }, (_, i) => client.publishAsync(`gantry/v1/test/ct/${scanner}/telemetry`,
      JSON.stringify({ ts: t0 + i, metrics: { power_kw: i, tube_temp_c: 40 } }), { qos: 1 })));
    await client.endAsync();
    await eventually('all readings stored', () => countPoints(p.influx, scanner), (c) => c === n);
    await eventually('all readings delivered', async () => received.length, (c) => c >= n);
    // Give a redelivery (if any) time to arrive before checking that none did.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(received.length, n, 'each reading delivered to the listeners exactly once');
    assert.equal(new Set(received).size, n);
    assert.equal(await countPoints(p.influx, scanner), n);
    assert.equal(await metricValue(p.url, 'gantry_ingest_unacknowledged_total'), 0);
    assert.equal(await metricValue(p.url, 'gantry_bus_listener_errors_total', '{event="telemetry",listener="test-thrower"}'), n);
    assert.ok(await metricValue(p.url, 'gantry_bus_listener_lag_max_seconds', '{event="telemetry",listener="test-counter"}') > 0, 'lag measured per listener');
  } finally {
    for (const off of offs) off();
  }
});
