// From a fresh start with a backfilled simulated fleet (the way `npm start` runs), the managers' numbers and a
// what-if scenario come out of the API, and they agree with the simulator's ground truth: the faults it
// planned (developing, failing, repaired) and a maintenance window an engineer adds through the alerts API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DowntimeReport, ScannerTimeline } from '../../contracts/downtime.js';
import type { WhatIfResult } from '../../contracts/whatif.js';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';

const H = 3_600_000;
const DAYS = 4;
const STEP_S = 600;
const REPAIR_H = 6;

let p: TestPlatform;
let t0 = 0;
before(async () => {
  t0 = Date.now();
  p = await startTestPlatform({
    'simulator.enabled': true, 'simulator.scanners': 4, 'simulator.intervalMs': 1000, 'simulator.seed': 3,
    'simulator.backfillDays': DAYS, 'simulator.backfillStepS': STEP_S, 'simulator.backfillFaults': 1, 'simulator.repairHours': REPAIR_H,
    // Model scoring of the backfilled history is not what this test is about and would only slow it down.
    'models.enabled': false,
  });
  await p.simulatorReady;
});
after(async () => { await p?.close(); });

test('downtime report and timeline over the backfilled fleet match the planned fault and the maintenance window', async () => {
  const [fault] = p.simulator?.faults ?? [];
  assert.ok(fault?.repairMs, 'the simulator planned one repaired fault');
  const maintained = p.simulator?.scanners.map((s) => s.spec.scannerId).find((id) => id !== fault.scannerId) as string;
  const windowStart = Math.floor((t0 - 2 * 24 * H) / H) * H;
  const w = await p.api('/api/alerts/maintenance', { method: 'POST', json: { scannerId: maintained, startsAt: windowStart, durationMs: 3 * H, comment: 'preventive maintenance', createdBy: 'admin' } });
  assert.equal(w.status, 201, await w.clone().text());

  const from = t0 - DAYS * 24 * H;
  const report = await eventually('the backfilled repair in the report', async () => {
    const res = await p.api(`/api/downtime?from=${from}&to=${t0}&groupBy=scanner`);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as DowntimeReport;
  }, (r) => {
    // The backfill is published before it is all in InfluxDB: wait for the repair too, not just the failure.
    const g = r.groups.find((x) => x.key === fault.scannerId);
    return g?.failures === 1 && g.unplannedDowntimeHours <= REPAIR_H + 1e-6;
  }, 30_000);
  const faulty = report.groups.find((g) => g.key === fault.scannerId);
  // Down from the first sample at or after the failure time until the repair visit.
  const downH = faulty?.unplannedDowntimeHours ?? 0;
  assert.ok(downH > REPAIR_H - STEP_S / 3600 - 1e-6 && downH <= REPAIR_H + 1e-6, `down ${downH} h for a ${REPAIR_H} h repair`);
  assert.ok(Math.abs((faulty?.mttrHours ?? 0) - downH) < 0.01, JSON.stringify(faulty));
  assert.ok((faulty?.availabilityPct ?? 100) < 100);
  assert.equal(faulty?.plannedDowntimeHours, 0);
  const planned = report.groups.find((g) => g.key === maintained);
  assert.deepEqual([planned?.plannedDowntimeHours, planned?.failures, planned?.availabilityPct], [3, 0, 100]);
  assert.equal(report.total.failures, 1);
  assert.equal(report.groups.length, 4, 'every simulated scanner reported');

  const timeline = await p.api(`/api/downtime/timeline?scannerId=${fault.scannerId}&from=${from}&to=${t0}`);
  const t = (await timeline.json()) as ScannerTimeline;
  const states = t.intervals.map((i) => i.state);
  assert.deepEqual(states.filter((s, i) => s !== states[i - 1]).filter((s) => s !== 'unknown'), ['up', 'degraded', 'down', 'up'], JSON.stringify(t.intervals));
  const down = t.intervals.find((i) => i.state === 'down');
  assert.equal(down?.end, fault.repairMs, 'the repair ends the down interval at the visit time');
  assert.match(down?.reason ?? '', new RegExp(fault.kind));
});

test('a what-if scenario over the backfilled site: arrivals fitted from the simulated exams', async () => {
  const site = p.simulator?.scanners[0]?.spec.site as string;
  const res = await p.api('/api/whatif', { method: 'POST', json: { site, scenario: { kind: 'volume', modality: 'mri', pct: 15 }, replications: 4, days: 5, warmupDays: 1 } });
  assert.equal(res.status, 200, await res.clone().text());
  const r = (await res.json()) as WhatIfResult;
  const mri = r.model.modalities.find((m) => m.modality === 'mri');
  assert.ok(mri && mri.scanners.length > 0, JSON.stringify(r.model));
  assert.ok(mri.arrivalsPerHour.some((x) => x > 0), 'MRI arrivals fitted from the backfilled exam events');
  const exams = r.metrics.find((m) => m.name === 'exams_per_day' && m.scope === 'mri');
  assert.ok((exams?.difference.mean ?? 0) > 0, JSON.stringify(exams));
  process.stdout.write(`# what-if on ${site}: ${JSON.stringify(r.metrics.filter((m) => m.scope === 'mri').map((m) => [m.name, m.baseline.mean, m.scenario.mean, m.difference]))}\n`);
});
