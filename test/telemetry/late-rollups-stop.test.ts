// Late-data rollups at stop: the pending range is saved to the state file at once (recomputing a backfilled
// week took InfluxDB tens of seconds and held every shutdown), and the next start takes it over. No
// recompute runs here (the timer is a minute), so no InfluxDB is needed; the store points nowhere.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LateRollups } from '../../server/telemetry/late-rollups.js';
import { InfluxStore } from '../../server/storage/influx.js';
import { createLogger } from '../../lib/logger.js';
import { tempDir } from '../support/platform.js';

const dir = tempDir('late-rollups');
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'late-rollups.json');
const influx = new InfluxStore({ url: 'http://127.0.0.1:1', database: 'gantry', retentionPolicy: 'autogen' });
const settings = { database: 'gantry', rawRetentionPolicy: 'autogen', rollup1mDays: 30, rollup1hDays: 400 };
const late = () => new LateRollups(influx, settings, createLogger('silent'), 60_000, Date.now, file);

test('stop() saves the pending range without recomputing; the next start resumes it', async () => {
  const old = Date.now() - 3 * 3_600_000;
  const first = late();
  first.start();
  first.observe([`scanner_telemetry,scanner=a v=1 ${old}`, `scanner_telemetry,scanner=a v=2 ${old + 60_000}`, `scanner_telemetry,scanner=a v=3 ${Date.now()}`]);
  const t0 = performance.now();
  await first.stop();
  assert.ok(performance.now() - t0 < 500, 'stop returns at once');
  assert.equal(first.runs, 0, 'nothing recomputed at stop');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { from: old, to: old + 60_000 }, 'only the late lines widen the saved range');

  const second = late();
  second.start();
  assert.equal(existsSync(file), false, 'taken over at start');
  await second.stop();
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { from: old, to: old + 60_000 }, 'still pending, saved again');

  rmSync(file);
  const idle = late();
  idle.start();
  await idle.stop();
  assert.equal(existsSync(file), false, 'nothing pending: no file');
});
