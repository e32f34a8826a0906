// Stopping the PACS collector while a probe hangs on a PACS that accepts TCP and never answers (a real
// silent server): stop() must not wait for the probe's whole timeout, and the probe's late result must not
// reach the intake (in the platform the spool behind it is closing by then).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacsCollector } from '../../collectors/pacs/collector.js';
import type { PacsIntake } from '../../collectors/pacs/intake.js';
import { createLogger } from '../../lib/logger.js';
import { loadConfig } from '../../server/config/load.js';
import { sleep } from '../../lib/net.js';
import { startSilentServer } from './support.js';

test('stop() leaves a hung probe after its grace and drops its late result', async () => {
  const silent = await startSilentServer();
  const target = { id: 'hung', site: 'test', host: '127.0.0.1', port: silent.port, calledAet: 'ANY', echo: { intervalMs: 60_000, timeoutMs: 3000 }, find: { enabled: false }, retrieve: { enabled: false } };
  const [t] = loadConfig({}, { pacs: { targets: [target] } }).pacs.targets;
  assert.ok(t);
  const got: string[] = [];
  const intake: PacsIntake = { probe: (r) => got.push(r.probe), storage: () => undefined, stats: () => undefined };
  const collector = new PacsCollector({ targets: [t] }, intake, createLogger('silent'));
  try {
    await collector.start();
    await sleep(200); // the C-ECHO is in flight: connected, waiting for an association answer that never comes
    const t0 = performance.now();
    await collector.stop(300);
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `stop() returned after ${Math.round(ms)} ms, not after the probe's 3 s timeout`);
    await sleep(3500); // past the probe's timeout: its result comes now and must be dropped
    assert.deepEqual(got, [], 'no result recorded after stop');
  } finally {
    await silent.close();
  }
});
