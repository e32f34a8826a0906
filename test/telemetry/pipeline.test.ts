// Simulator → broker → collector → spool → private InfluxDB, on the embedded broker and on a private
// Mosquitto; points are queried back from InfluxDB.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { startPrivateMosquitto, type PrivateMosquitto } from '../../server/services/private-mosquitto.js';
import { eventually, metricValue, startTestPlatform, tempDir, type TestPlatform } from '../support/platform.js';

async function countPoints(p: TestPlatform, scanner: string): Promise<number> {
  const res = await p.influx.query(`SELECT count("power_kw") FROM "telemetry" WHERE "scanner" = '${scanner}'`);
  return Number(res[0]?.[0]?.values[0]?.[1] ?? 0);
}

for (const brokerKind of ['embedded', 'mosquitto'] as const) {
  describe(`telemetry pipeline via ${brokerKind} broker`, () => {
    let mosq: PrivateMosquitto | undefined;
    let p: TestPlatform;
    before(async () => {
      if (brokerKind === 'mosquitto') mosq = await startPrivateMosquitto({ dir: tempDir('mosq') });
      p = await startTestPlatform({ 'simulator.enabled': true, 'simulator.intervalMs': 200, ...(mosq ? { 'mqtt.url': mosq.url } : {}) });
    });
    after(async () => { await p?.close(); await mosq?.stop(); });

    test('simulated readings of all 12 scanners land in InfluxDB', async () => {
      const rows = await eventually('12 scanners in InfluxDB', async () => {
        const res = await p.influx.query('SELECT count("power_kw") FROM "telemetry" GROUP BY "scanner"');
        return res[0] ?? [];
      }, (series) => series.length === 12 && series.every((s) => Number(s.values[0]?.[1]) >= 2));
      assert.equal(rows.length, 12);
      assert.ok(await metricValue(p.url, 'gantry_influx_points_written_total') >= 24);
    });

    test('a new scanner published by an external client lands in InfluxDB with its values', async () => {
      const client = await mqtt.connectAsync(p.mqttUrl);
      const ts = Date.now() - 5000;
      await client.publishAsync('gantry/v1/north/ct/north-ct-9/telemetry', JSON.stringify({ ts, metrics: { tube_temp_c: 44.5, power_kw: 12 } }), { qos: 1 });
      await client.endAsync();
      const res = await eventually('north-ct-9 point', () => p.influx.query(`SELECT "tube_temp_c","power_kw" FROM "telemetry" WHERE "scanner" = 'north-ct-9'`), (r) => (r[0]?.[0]?.values.length ?? 0) === 1);
      assert.deepEqual(res[0]?.[0]?.values[0], [ts, 44.5, 12]);
      assert.equal(await countPoints(p, 'north-ct-9'), 1);
    });

    test('a malformed payload is rejected and counted, and ingest goes on', async () => {
      const before = await metricValue(p.url, 'gantry_ingest_rejects_total', '{reason="malformed_json"}');
      const client = await mqtt.connectAsync(p.mqttUrl);
      await client.publishAsync('gantry/v1/north/ct/north-ct-9/telemetry', '{"ts": 12, "metrics": {', { qos: 1 });
      await client.publishAsync('gantry/v1/north/ct/north-ct-9/telemetry', JSON.stringify({ ts: Date.now() - 1000, metrics: { power_kw: 13 } }), { qos: 1 });
      await client.endAsync();
      await eventually('reject counted', () => metricValue(p.url, 'gantry_ingest_rejects_total', '{reason="malformed_json"}'), (v) => v === before + 1);
      await eventually('following good message stored', () => countPoints(p, 'north-ct-9'), (n) => n === 2);
      const health = await (await fetch(`${p.url}/health`)).json() as { status: string };
      assert.equal(health.status, 'ok');
    });
  });
}
