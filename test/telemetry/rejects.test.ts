// Every reject reason from real MQTT messages through the embedded broker: counted exactly per reason,
// kept in the dead-letter store (and listed over HTTP), and ingest of good messages goes on. Status and
// event channels are stored in their measurements.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { REJECT_REASONS, type DeadLetter, type RejectReason } from '../../contracts/index.js';
import { eventually, metricValue, startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => {
  p = await startTestPlatform({ 'ingest.maxPayloadBytes': 1024, 'ingest.maxSamplesPerMessage': 5, 'ingest.maxFutureSkewSeconds': 60, 'influx.retentionDays': 7 });
});
after(async () => { await p?.close(); });

const T = 'gantry/v1/central/ct/ct-7/telemetry';
const now = () => Date.now() - 1000;
const CASES: [RejectReason, string, string | Buffer][] = [
  ['malformed_json', T, '{"ts": 1, "metrics": {'],
  ['malformed_json', T, Buffer.from([0xff, 0xfe, 0x00, 0x01])],
  ['schema', T, JSON.stringify({ ts: now(), metrics: { power_kw: 'high' } })],
  ['schema', T, JSON.stringify({ ts: now(), metrics: {} })],
  ['schema', T, JSON.stringify({ ts: 'yesterday', metrics: { power_kw: 1 } })],
  ['schema', 'gantry/v1/central/ct/ct-7/status', JSON.stringify({ ts: now(), state: 'on fire' })],
  ['schema', 'gantry/v1/central/ct/ct-7/event', JSON.stringify({ ts: now(), type: 'error', code: 'has spaces' })],
  ['unknown_metric', T, JSON.stringify({ ts: now(), metrics: { helium_level_pct: 70 } })],
  ['oversize', T, JSON.stringify({ ts: now(), metrics: { power_kw: 1 }, pad: 'x'.repeat(2000) })],
  ['too_many_samples', T, JSON.stringify({ samples: Array.from({ length: 6 }, (_, i) => ({ ts: now() - i, metrics: { power_kw: 1 } })) })],
  ['future_timestamp', T, JSON.stringify({ ts: Date.now() + 3600000, metrics: { power_kw: 1 } })],
  ['stale_timestamp', T, JSON.stringify({ ts: Date.now() - 8 * 86400000, metrics: { power_kw: 1 } })],
  ['bad_topic', 'gantry/v1/central/mrx/ct-7/telemetry', JSON.stringify({ ts: now(), metrics: { power_kw: 1 } })],
  ['bad_topic', 'gantry/v1/Central/ct/ct-7/telemetry', JSON.stringify({ ts: now(), metrics: { power_kw: 1 } })],
  // Inside the root but a shape Gantry does not read: a dead letter, not a silent PUBACK.
  ['bad_topic', 'gantry/v1/central/ct/ct-7/Telemetry', JSON.stringify({ ts: now(), metrics: { power_kw: 1 } })],
  ['bad_topic', 'gantry/v1/central/ct/ct-7/telemetry/x/y', JSON.stringify({ ts: now(), metrics: { power_kw: 1 } })],
  ['implausible_value', T, JSON.stringify({ ts: now(), metrics: { power_kw: 1e308 } })],
  ['future_timestamp', T, JSON.stringify({ ts: 1e20, metrics: { power_kw: 1 } })],
];

test('every reject reason from real MQTT messages is counted exactly, dead-lettered, and ingest goes on', async () => {
  const client = await mqtt.connectAsync(p.mqttUrl);
  for (const [, topic, payload] of CASES) await client.publishAsync(topic, payload, { qos: 1 });
  const goodTs = Date.now() - 500;
  await client.publishAsync(T, JSON.stringify({ ts: goodTs, metrics: { power_kw: 42 } }), { qos: 1 });
  await client.endAsync();

  const expected = new Map<string, number>(REJECT_REASONS.map((r) => [r, 0]));
  for (const [reason] of CASES) expected.set(reason, (expected.get(reason) ?? 0) + 1);
  const good = await eventually('good point stored', () => p.influx.query(`SELECT "power_kw" FROM "telemetry" WHERE "scanner" = 'ct-7'`), (r) => (r[0]?.[0]?.values.length ?? 0) === 1);
  assert.deepEqual(good[0]?.[0]?.values[0], [goodTs, 42]);
  // The good message came last on the same connection, so every reject has been handled by now.
  for (const [reason, n] of expected) {
    assert.equal(await metricValue(p.url, 'gantry_ingest_rejects_total', `{reason="${reason}"}`), n, `rejects of ${reason}`);
  }
  assert.equal(await metricValue(p.url, 'gantry_ingest_messages_total', '{result="rejected"}'), CASES.length);

  const res = await p.api('/api/dead-letters?limit=1000');
  assert.equal(res.status, 200);
  const { items: entries, total } = await res.json() as { items: DeadLetter[]; total: number };
  assert.equal(total, CASES.length);
  assert.equal(entries.length, CASES.length);
  assert.deepEqual(entries.map((e) => e.reason).reverse(), CASES.map(([r]) => r));
  // Only the shape of a payload is kept, never its text (it may carry patient data).
  assert.ok(entries.some((e) => e.shape === 'binary(4 bytes)'), 'binary payload described');
  const oversize = entries.find((e) => e.reason === 'oversize');
  assert.ok(oversize && oversize.payload === undefined && oversize.payloadBytes > 2000 && oversize.shape.includes('"pad": string(2000)'), 'shape kept');

  const health = await (await fetch(`${p.url}/health`)).json() as { status: string };
  assert.equal(health.status, 'ok');
});

test('status and event messages are stored in scanner_status and scanner_event', async () => {
  const client = await mqtt.connectAsync(p.mqttUrl);
  const ts = Date.now() - 2000;
  await client.publishAsync('gantry/v1/central/mri/mri-3/status', JSON.stringify({ ts, state: 'down', reason: 'chiller fault' }), { qos: 1 });
  await client.publishAsync('gantry/v1/central/mri/mri-3/event', JSON.stringify({ events: [
    { ts, type: 'exam_start', examType: 'brain' }, { ts, type: 'error', code: 'E-4711', detail: 'gradient overtemperature' }, { ts: ts + 5, type: 'exam_end' },
  ] }), { qos: 1 });
  await client.endAsync();
  // Every field present: InfluxDB stores a point's fields separately and a query can briefly see some of them.
  const status = await eventually('status stored', () => p.influx.query(`SELECT "state","state_code","reason" FROM "scanner_status" WHERE "scanner" = 'mri-3'`),
    (r) => (r[0]?.[0]?.values.length ?? 0) === 1 && !(r[0]?.[0]?.values[0] ?? [null]).includes(null));
  assert.deepEqual(status[0]?.[0]?.values[0], [ts, 'down', 3, 'chiller fault']);
  const events = await eventually('events stored', () => p.influx.query(`SELECT "type","code" FROM "scanner_event" WHERE "scanner" = 'mri-3'`), (r) => (r[0]?.[0]?.values.length ?? 0) === 3);
  assert.deepEqual(events[0]?.[0]?.values.map((v) => [v[1], v[2]]).sort(), [['error', 'E-4711'], ['exam_end', ''], ['exam_start', '']]);
});
