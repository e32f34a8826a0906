import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaledSigmoid, probationLength, scoreCorpus, type ScoredSeries } from '../../models/src/nab/scorer.js';
import { parseNabTime } from '../../models/src/nab/corpus.js';

const N = 1000;
const timestamps = Array.from({ length: N }, (_, i) => i * 60_000);
const windows: Array<[number, number]> = [
  [timestamps[400]!, timestamps[449]!],
  [timestamps[800]!, timestamps[849]!],
];

function series(scores: number[]): ScoredSeries {
  return { name: 'g/s.csv', timestamps, scores, windows };
}

function firingAt(rows: number[]): number[] {
  const s = new Array<number>(N).fill(0);
  for (const r of rows) s[r] = 1;
  return s;
}

test('scaled sigmoid matches the published anchor values', () => {
  assert.ok(Math.abs(scaledSigmoid(-1) - 0.98661) < 1e-4);
  assert.ok(Math.abs(scaledSigmoid(-0.5) - 0.84828) < 1e-4);
  assert.equal(scaledSigmoid(0), 0);
  assert.equal(scaledSigmoid(3), -1);
  assert.equal(probationLength(1000), 150);
  assert.equal(probationLength(22695), 750);
});

test('null detector scores 0 and a perfect detector 100 on every profile', () => {
  for (const profile of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const) {
    assert.equal(scoreCorpus([series(new Array<number>(N).fill(0))], profile).normalized, 0);
    const perfect = scoreCorpus([series(firingAt([400, 800]))], profile);
    assert.ok(Math.abs(perfect.normalized - 100) < 1e-9, `${profile}: ${perfect.normalized}`);
    assert.equal(perfect.detectedWindows, 2);
  }
});

test('an early detection beats a late one, and a late one beats a miss', () => {
  const early = scoreCorpus([series(firingAt([405, 805]))], 'standard').normalized;
  const late = scoreCorpus([series(firingAt([445, 845]))], 'standard').normalized;
  const oneMissed = scoreCorpus([series(firingAt([445]))], 'standard').normalized;
  assert.ok(early > late, `${early} <= ${late}`);
  assert.ok(late > oneMissed && oneMissed > 0);
});

test('false positives cost more under reward_low_FP_rate; misses cost more under reward_low_FN_rate', () => {
  const withFp = firingAt([400, 800, 200, 600, 950]);
  const std = scoreCorpus([series(withFp)], 'standard', 1).normalized;
  const lowFp = scoreCorpus([series(withFp)], 'reward_low_FP_rate', 1).normalized;
  assert.ok(lowFp < std && std < 100);
  const missOne = firingAt([400]);
  assert.ok(scoreCorpus([series(missOne)], 'reward_low_FN_rate').raw < scoreCorpus([series(missOne)], 'standard').raw);
});

test('detections in the probation period and duplicates inside a window do not count', () => {
  const inProbation = scoreCorpus([series(firingAt([10, 400, 800]))], 'standard', 1);
  assert.ok(Math.abs(inProbation.normalized - 100) < 1e-9);
  const dup = scoreCorpus([series(firingAt([400, 401, 402, 800]))], 'standard', 1);
  assert.ok(Math.abs(dup.normalized - 100) < 1e-9);
});

test('the optimized threshold ignores low-score noise', () => {
  const scores = Array.from({ length: N }, (_, i) => ((i * 7919) % 100) / 400);
  scores[402] = 0.9;
  scores[803] = 0.9;
  const r = scoreCorpus([series(scores)], 'standard');
  assert.equal(r.threshold, 0.9);
  assert.ok(r.normalized > 95);
});

test('NAB timestamps parse as UTC with fractional seconds', () => {
  assert.equal(parseNabTime('2014-10-30 15:30:00.000000'), Date.UTC(2014, 9, 30, 15, 30));
  assert.equal(parseNabTime('2014-10-30 15:30:00'), Date.UTC(2014, 9, 30, 15, 30));
});
