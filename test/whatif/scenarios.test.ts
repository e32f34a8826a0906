// Scenarios change exactly one thing, move the figures in the direction queueing says they must, are
// repeatable for a seed, and the model fit reads exam events correctly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WhatIfMetric } from '../../contracts/whatif.js';
import { applyScenario, runWhatIf, ScenarioError } from '../../server/whatif/experiment.js';
import { buildSiteModel, fitArrivals, fitDuration, type ExamEvent } from '../../server/whatif/site-model.js';

const H = 3_600_000;
const base = buildSiteModel({
  site: 'central',
  scanners: [
    { id: 'central-mri-1', modality: 'mri', availability: 0.97, mttrHours: 10 },
    { id: 'central-mri-2', modality: 'mri' },
    { id: 'central-ct-1', modality: 'ct', availability: 0.99, mttrHours: 6 },
    { id: 'central-ct-2', modality: 'ct' },
  ],
  examEvents: [], fitFrom: 0, fitTo: 1, timezone: 'UTC', radiologists: 0,
});
const opts = { replications: 8, days: 21, warmupDays: 3, seed: 7 };
const pick = (ms: WhatIfMetric[], name: string, scope: string) => {
  const m = ms.find((x) => x.name === name && x.scope === scope);
  assert.ok(m, `${name}/${scope} missing`);
  return m;
};

test('the default model: configured arrivals, measured and default availability, reading pool sized', () => {
  assert.deepEqual(base.modalities.map((m) => [m.modality, m.scanners.length, Math.round(m.arrivalsPerHour.reduce((a, b) => a + b, 0))]), [['ct', 2, 100], ['mri', 2, 30]]);
  assert.equal(base.modalities[1]?.scanners[1]?.availability, 0.98);
  assert.equal(base.reading.radiologists, 4); // (100 × 12 + 30 × 20) min = 30 h / (12 h × 0.75)
  assert.match(base.provenance?.['mri.arrivals'] ?? '', /configured default/);
});

test('each scenario changes one thing', () => {
  const add = applyScenario(base, { kind: 'add-scanner', modality: 'ct' }, 3).model;
  assert.equal(add.modalities[0]?.scanners.length, 3);
  assert.equal(add.modalities[0]?.scanners[2]?.availability, 0.985);
  assert.deepEqual({ ...add, modalities: [add.modalities[1]] }, { ...base, modalities: [base.modalities[1]] });
  const vol = applyScenario(base, { kind: 'volume', modality: 'mri', pct: 15 }, 3).model;
  assert.ok(Math.abs((vol.modalities[1]?.arrivalsPerHour[10] ?? 0) / (base.modalities[1]?.arrivalsPerHour[10] ?? 1) - 1.15) < 1e-9);
  const down = applyScenario(base, { kind: 'scanner-down', scannerId: 'central-mri-1', days: 5, startDay: 2 }, 3);
  assert.deepEqual(down.outages, [{ scannerId: 'central-mri-1', start: 120, end: 240 }]);
  assert.deepEqual(applyScenario(base, { kind: 'extended-hours', modality: 'mri', extraHours: 2 }, 3).model.modalities[1]?.openHours, { start: 7, end: 23 });
  assert.deepEqual(applyScenario(base, { kind: 'extended-hours', modality: 'mri', extraHours: 12 }, 3).model.modalities[1]?.openHours, { start: 0, end: 24 });
  assert.equal(applyScenario(base, { kind: 'add-radiologist', count: 1 }, 3).model.reading.radiologists, 5);
  assert.throws(() => applyScenario(base, { kind: 'volume', modality: 'us', pct: 10 }, 3), ScenarioError);
  assert.throws(() => applyScenario(base, { kind: 'extended-hours', modality: 'ct', extraHours: 1 }, 3), ScenarioError);
  assert.equal(base.modalities[0]?.scanners.length, 2); // the baseline is not modified
});

test('add a CT: CT waits and utilization fall significantly; MRI is unaffected', () => {
  const r = runWhatIf(base, { kind: 'add-scanner', modality: 'ct' }, opts);
  const wait = pick(r.metrics, 'wait_mean', 'ct');
  assert.ok(wait.difference.significant && (wait.difference.ciHigh ?? 0) < 0, JSON.stringify(wait));
  assert.ok((pick(r.metrics, 'utilization', 'ct').difference.mean ?? 0) < -10);
  // Common random numbers: MRI patients see exactly the same arrivals, durations and failures.
  assert.equal(pick(r.metrics, 'wait_mean', 'mri').difference.mean, 0);
  assert.deepEqual(runWhatIf(base, { kind: 'add-scanner', modality: 'ct' }, opts).metrics, r.metrics);
});

test('+15 % MRI volume: more MRI exams a day, longer MRI waits and report turnaround', () => {
  const r = runWhatIf(base, { kind: 'volume', modality: 'mri', pct: 15 }, opts);
  const exams = pick(r.metrics, 'exams_per_day', 'mri');
  assert.ok(exams.difference.significant && Math.abs((exams.difference.mean ?? 0) / (exams.baseline.mean ?? 1) - 0.15) < 0.05, JSON.stringify(exams));
  assert.ok((pick(r.metrics, 'utilization', 'mri').difference.ciLow ?? 0) > 5);
  assert.ok((pick(r.metrics, 'wait_mean', 'mri').difference.mean ?? 0) > 0);
  assert.ok((pick(r.metrics, 'turnaround_mean', 'reading').difference.ciLow ?? 0) > 0);
});

test('an MRI down 7 days lengthens MRI waits; extended hours and an extra radiologist shorten waits', () => {
  const down = runWhatIf(base, { kind: 'scanner-down', scannerId: 'central-mri-1', days: 7 }, opts);
  assert.ok((pick(down.metrics, 'wait_mean', 'mri').difference.ciLow ?? 0) > 0);
  const ext = runWhatIf(base, { kind: 'extended-hours', modality: 'mri', extraHours: 2 }, opts);
  assert.ok((pick(ext.metrics, 'wait_mean', 'mri').difference.mean ?? 0) < 0, JSON.stringify(pick(ext.metrics, 'wait_mean', 'mri')));
  assert.ok((pick(ext.metrics, 'utilization', 'mri').difference.ciHigh ?? 0) < 0);
  const rad = runWhatIf(base, { kind: 'add-radiologist', count: 1 }, opts);
  assert.ok((pick(rad.metrics, 'turnaround_mean', 'reading').difference.ciHigh ?? 0) < 0);
  assert.equal(pick(rad.metrics, 'wait_mean', 'ct').difference.mean, 0);
});

test('fitting: arrivals by local hour of day, durations from start/end pairs on the same scanner', () => {
  const day0 = Date.UTC(2026, 5, 1); // summer: Europe/Berlin is UTC+2
  const starts: number[] = [];
  for (let d = 0; d < 10; d++) for (let k = 0; k < 6; k++) starts.push(day0 + d * 24 * H + 7 * H); // 07:00 UTC = 09:00 Berlin
  const rates = fitArrivals(starts, day0, day0 + 10 * 24 * H, 'Europe/Berlin');
  assert.equal(rates?.[9], 6);
  assert.equal(rates?.reduce((a, b) => a + b, 0), 6);
  assert.equal(fitArrivals(starts.slice(0, 10), day0, day0 + 10 * 24 * H, 'UTC'), undefined);
  const ev: ExamEvent[] = [];
  for (let i = 0; i < 30; i++) {
    const t = day0 + i * H;
    ev.push({ ts: t, modality: 'ct', scannerId: 'a', type: 'exam_start' }, { ts: t + (i % 2 ? 0.25 : 0.75) * H, modality: 'ct', scannerId: 'a', type: 'exam_end' });
    ev.push({ ts: t + 0.1 * H, modality: 'ct', scannerId: 'b', type: 'exam_end' }); // an end without a start is ignored
  }
  const d = fitDuration(ev);
  assert.equal(d?.meanMinutes, 30);
  assert.ok(Math.abs((d?.cv ?? 0) - 0.508) < 0.01, JSON.stringify(d));
});
