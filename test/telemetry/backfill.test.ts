// Backfill through the real path: the simulator publishes a day of simulated history as batch payloads over
// MQTT, and every sample, status change and exam event of it is in InfluxDB afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FleetSimulator } from '../../collectors/simulator/publisher.js';
import { planFaults } from '../../collectors/simulator/scenario.js';
import { fleetLayout } from '../../collectors/simulator/fleet.js';
import { createLogger } from '../../lib/logger.js';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => { p = await startTestPlatform(); });
after(async () => { await p?.close(); });

test('a backfilled day lands completely in InfluxDB', async () => {
  const end = Date.now() - 60000;
  const start = end - 86400000;
  const faults = planFaults({ version: 1, faults: [{ scannerId: 'central-mri-1', kind: 'coldhead_failure', onsetHours: 2, hoursToFailure: 12 }] }, fleetLayout(4), 1, start, end);
  const sim = new FleetSimulator({ url: p.mqttUrl, scanners: 4, intervalMs: 1000, seed: 1, faults }, createLogger('silent'));
  const res = await sim.backfill({ startMs: start, endMs: end, stepMs: 300000, samplesPerMessage: 50 });
  await sim.stop();
  assert.equal(res.samples, 4 * 288);
  const count = async (q: string) => Number((await p.influx.query(q))[0]?.[0]?.values[0]?.[1] ?? 0);
  await eventually('all samples stored', () => count('SELECT count("power_kw") FROM "telemetry"'), (n) => n === res.samples, 20000);
  const down = await p.influx.query(`SELECT "state","reason" FROM "scanner_status" WHERE "scanner" = 'central-mri-1' AND "state" = 'down'`);
  assert.equal(down[0]?.[0]?.values.length, 1, 'the cold-head failure is reported as down');
  assert.ok(await count(`SELECT count("code") FROM "scanner_event" WHERE "type" = 'exam_start'`) > 0, 'exam events stored');
  // The continuous queries only cover recent intervals: the late-data rollup fills both levels for the day
  // (whole hours up to three hours ago; the newest minutes are the continuous queries' job).
  const H = 3_600_000;
  const [h0, h1] = [Math.floor(start / H) * H, Math.floor((end - 3 * H) / H) * H];
  const raw = await count(`SELECT count("power_kw") FROM "telemetry" WHERE time >= ${h0}ms AND time < ${h1}ms`);
  assert.ok(raw > 200);
  const rolled = (rp: string) => count(`SELECT sum("count_power_kw") FROM "${rp}"."telemetry" WHERE time >= ${h0}ms AND time < ${h1}ms`);
  await eventually('hourly rollup of the backfilled day', () => rolled('rollup_1h'), (n) => n === raw, 30000);
  assert.equal(await rolled('rollup_1m'), raw, 'the 1-minute rollup holds the same samples');
});
