// Backfill through the real path: the simulator publishes a day of simulated history as batch payloads over
// MQTT, and every sample, status change and exam event of it is in InfluxDB afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FleetSimulator } from '../../collectors/simulator/publisher.js';
import { planFaults } from '../../collectors/simulator/scenario.js';
import { fleetLayout } from '../../collectors/simulator/fleet.js';
import { createLogger } from '../../server/lib/logger.js';
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
});
