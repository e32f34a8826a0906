import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaveOneGroupOut } from '../../models/src/nab/select.js';
import { poissonCi95, percentile, summarizeFleet } from '../../models/src/fleet/summary.js';
import type { ScoredSeries } from '../../models/src/nab/scorer.js';

const T = Array.from({ length: 400 }, (_, i) => i * 60_000);
function series(name: string, fireAt: number[]): ScoredSeries {
  const scores = T.map((_, i) => (fireAt.includes(i) ? 0.9 : 0.1));
  return { name, timestamps: T, scores, windows: [[T[300]!, T[340]!]] };
}

test('leave-one-group-out picks the config on the other groups and scores the held-out one with their threshold', () => {
  // "good" finds the window in every group; "lucky" only in group a, where it is perfect, and misses elsewhere.
  const good = { name: 'good', series: ['a', 'b', 'c'].map((g) => series(`${g}/x.csv`, [305])) };
  const lucky = { name: 'lucky', series: [series('a/x.csv', [300]), series('b/x.csv', []), series('c/x.csv', [])] };
  const r = leaveOneGroupOut([lucky, good]);
  assert.deepEqual(r.folds.map((f) => f.chosen), ['good', 'good', 'good']);
  assert.ok(r.pooled > 50 && r.pooled <= 100);
  assert.equal(r.folds[0]!.detected, 1);
});

test('fleet summary pools seeds, gives lead percentiles and a Poisson interval', () => {
  const [lo, hi] = poissonCi95(0);
  assert.equal(lo, 0);
  assert.ok(hi > 3.6 && hi < 3.8, `upper bound for 0 events ~3.69, got ${hi}`);
  const [lo10, hi10] = poissonCi95(10);
  assert.ok(lo10 > 4.6 && lo10 < 4.9 && hi10 > 18.2 && hi10 < 18.6, `${lo10} ${hi10}`);
  assert.equal(percentile([1, 2, 3, 4, 5], 0.5), 3);
  const kind = (leads: number[]) => ({ kind: 'helium_leak', faults: 1, detected: leads.length, failures: 1, medianLeadMs: null, leadsMs: leads, byAnomaly: leads.length, byForecast: 0 });
  const rep = (fa: number, leads: number[]) => ({ kinds: [kind(leads)], falseAlarms: fa, falseAlarmsByForecast: 0, falseAlarmsByCause: { vibration_mm_s: fa }, healthyScannerDays: 50, samples: 1 });
  const s = summarizeFleet([rep(1, [36e5 * 10]), rep(1, [])]);
  assert.equal(s.kinds[0]!.faults, 2);
  assert.equal(s.kinds[0]!.detected, 1);
  assert.equal(s.kinds[0]!.medianLeadH, 10);
  assert.equal(s.rate, 0.02);
  assert.deepEqual(s.byCause, [['vibration_mm_s', 2]]);
});
