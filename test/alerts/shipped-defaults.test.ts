// The shipped rules (rules/ + catalog defaults, default settings) on the simulated fleet the dashboard shows:
// a normal fleet raises nothing; an injected helium leak raises exactly one alert, mri-helium-low, on the
// live feed at once, and it turns critical as the level keeps falling.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../contracts/index.js';
import { sleep } from '../../lib/net.js';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { Recorder } from './support.js';

let p: TestPlatform;
let rec: Recorder;
before(async () => {
  p = await startTestPlatform({ 'simulator.enabled': true, 'simulator.intervalMs': 500 });
  rec = new Recorder(p.bus);
});
after(async () => { rec?.stop(); await p?.close(); });

test('a normal simulated fleet raises no alert; a helium leak raises only mri-helium-low, then critical', async () => {
  await sleep(3000);
  assert.deepEqual(p.alerting.list().map((a) => `${a.id} ${a.state}`), [], 'nothing open or pending on a healthy fleet');
  const target = 'central-mri-1';
  assert.ok(p.simulator?.injectFault(target, 'helium_leak', 8));
  const id = `mri-helium-low:${target}`;
  await eventually('helium alert fires', async () => rec.of(id).map((a) => a.state), (s) => s.includes('firing'), 20000);
  const first = rec.of(id)[0] as Alert;
  assert.equal(first.state, 'firing', 'the first state on the live feed is firing');
  assert.match(first.message, /Helium level .* below 60 %/);
  await eventually('turns critical', async () => p.alerting.get(id)?.severity, (s) => s === 'critical', 10000);
  const live = new Set(rec.alerts.filter((a) => a.state !== 'resolved').map((a) => a.id));
  assert.deepEqual([...live], [id], 'one open alert on the live feed');
});
