// The device twin in simulated time (no MQTT): each scripted fault drives its failure metric across the
// catalog's critical limit at the failure time the ground truth records, healthy scanners stay inside
// their warning limits, exams drive a daily cycle, and a seed reproduces a run exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { GroundTruth, type ScenarioFault } from '../../contracts/ground-truth.js';
import { findMetric } from '../../contracts/metric-catalog.js';
import { runScenario, type RunStep } from '../../collectors/simulator/scenario.js';
import { DAY } from '../../contracts/units.js';

const start = Date.UTC(2026, 10, 2); // a Monday
const faults: ScenarioFault[] = [
  { scannerId: 'central-mri-1', kind: 'helium_leak', onsetHours: 24, hoursToFailure: 72 },
  { scannerId: 'riverside-mri-1', kind: 'coldhead_failure', onsetHours: 24, hoursToFailure: 48 },
  { scannerId: 'central-mri-2', kind: 'chiller_failure', onsetHours: 24, hoursToFailure: 12 },
  { scannerId: 'riverside-mri-2', kind: 'gradient_amp_drift', onsetHours: 24, hoursToFailure: 72 },
  { scannerId: 'central-ct-1', kind: 'tube_ageing', onsetHours: 24, hoursToFailure: 72 },
  { scannerId: 'riverside-ct-1', kind: 'bearing_wear', onsetHours: 24, hoursToFailure: 72 },
];
const run = () => runScenario({ scanners: 12, seed: 5, startMs: start, endMs: start + 5 * DAY, stepMs: 180000, scenario: { version: 1, faults } });

test('faults cross their critical limit at the recorded failure time; healthy scanners stay normal', () => {
  const { groundTruth, steps } = run();
  assert.ok(Value.Check(GroundTruth, groundTruth));
  assert.equal(groundTruth.faults.length, 6);
  const firstCritical = new Map<string, number>();
  let healthyWarnings = 0;
  let examStarts = 0;
  const load = { day: 0, night: 0 };
  for (const s of steps as Generator<RunStep>) {
    const r = s.reading;
    examStarts += s.events.filter((e) => e.type === 'exam_start').length;
    const f = groundTruth.faults.find((x) => x.scannerId === r.scannerId);
    if (!f) {
      for (const [name, v] of Object.entries(r.metrics)) {
        const w = findMetric(r.modality, name)?.warning;
        if ((w?.high !== undefined && v > w.high) || (w?.low !== undefined && v < w.low)) healthyWarnings += 1;
      }
      if (r.modality === 'ct') {
        const hour = new Date(r.ts).getUTCHours();
        if (hour >= 9 && hour < 17 && r.ts < start + 5 * DAY - 2 * DAY) load.day += r.metrics.power_kw ?? 0;
        if (hour < 5) load.night += r.metrics.power_kw ?? 0;
      }
      continue;
    }
    const v = r.metrics[f.failureMetric] as number;
    const crit = findMetric(r.modality, f.failureMetric)?.critical;
    const critical = f.kind === 'gradient_amp_drift' ? Math.abs(v) > 3 : crit?.low !== undefined && f.kind === 'helium_leak' ? v < crit.low : v > (crit?.high ?? Infinity);
    if (critical && !firstCritical.has(f.scannerId)) firstCritical.set(f.scannerId, r.ts);
    if (r.ts < f.onsetMs) assert.ok(!critical, `${f.kind} critical before onset`);
  }
  for (const f of groundTruth.faults) {
    const at = firstCritical.get(f.scannerId);
    assert.ok(at !== undefined, `${f.kind} never reached critical`);
    // Arcs are Poisson counts: a noisy count crosses earlier than the expected rate does.
    const earliest = f.kind === 'tube_ageing' ? f.failureMs - 0.3 * (f.failureMs - f.onsetMs) : f.failureMs - 0.05 * (f.failureMs - f.onsetMs);
    assert.ok(at >= earliest && at <= f.failureMs + 30 * 60000, `${f.kind}: critical at ${new Date(at).toISOString()}, failure ${f.failure}`);
  }
  assert.equal(healthyWarnings, 0, 'healthy scanners stay inside warning limits');
  assert.ok(examStarts > 5 * 12 * 5, `exams happen (${examStarts})`);
  assert.ok(load.day > load.night * 2, 'daytime exams raise power draw');
});

test('the same seed gives the same run', () => {
  const take = (n: number) => {
    const out = [];
    for (const s of run().steps) { out.push(s); if (out.length >= n) break; }
    return out;
  };
  assert.deepEqual(take(3000), take(3000));
});
