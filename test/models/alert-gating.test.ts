// The shared alert gates (models/src/alerting/gating.ts) and why the old anomaly gating could never fire:
// the detector's reported score rests 100 samples after each detection, so "2 % of the last 100 samples"
// (eval:fleet) or "3 of the last 5 scores" (the shipped scanner-anomaly rule) was never reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../models/src/backend.js';
import { AnomalyGate, ForecastGate } from '../../models/src/alerting/gating.js';
import { StreamingAnomalyDetector } from '../../models/src/anomaly/streaming-detector.js';
import { gaussian, seededRandom } from '../../lib/random.js';
import { shippedGates } from '../../scripts/eval/shipped-gates.js';

const HOUR = 3_600_000;

/** A real detector (statistical and context stages; no network fit) on noise; `fault(k)` is added from sample 1500 on. */
function detect(fault: (k: number) => number): { reported: boolean[]; raw: boolean[] } {
  const rand = seededRandom(11);
  const det = new StreamingAnomalyDetector({ dims: 1, warmup: 1e9 });
  const out = { reported: [] as boolean[], raw: [] as boolean[] };
  for (let i = 0; i < 3000; i++) {
    const r = det.update([gaussian(rand) + (i >= 1500 ? fault(i - 1500) : 0)], i * 120_000);
    out.reported.push(r.anomalous);
    out.raw.push(r.rawScore >= det.config.threshold);
  }
  det.dispose();
  return out;
}

function opened(gate: AnomalyGate, flags: boolean[]): number {
  return flags.filter((f) => gate.update(f).opened).length;
}

test('a developing fault: the reported score rests after one detection, so the old gates never open; the shipped gate on raw scores opens once', async () => {
  await initBackend();
  const fault = detect((k) => 0.6 * Math.sqrt(k));
  assert.equal(fault.reported.filter(Boolean).length, 1, 'one event, one reported detection (the rest swallows the others)');
  assert.ok(fault.raw.filter(Boolean).length >= 30, 'the raw score stays anomalous while the fault develops');
  // eval:fleet's old gate: an anomalous sample alerts when 2 % of the last 100 samples were anomalous
  // (2 of 100); the old shipped rule: 3 of the last 5 scores. Both counted reported scores.
  assert.equal(opened(new AnomalyGate({ n: 2, m: 100, recoverN: 0 }), fault.reported), 0);
  assert.equal(opened(new AnomalyGate({ n: 3, m: 5, recoverN: 0 }), fault.reported), 0);
  assert.equal(opened(new AnomalyGate(shippedGates().anomaly), fault.raw), 1);
  const blip = detect((k) => (k === 0 ? 10 : 0));
  assert.equal(opened(new AnomalyGate(shippedGates().anomaly), blip.raw), 0, 'a one-sample spike opens nothing');
});

test('anomaly gate: a single detection opens nothing; the alert ends once no detection is left in the window', () => {
  const g = new AnomalyGate({ n: 2, m: 10, recoverN: 0 });
  const steps = [true, ...Array<boolean>(12).fill(false), true, false, false, true, false].map((d) => g.update(d));
  assert.equal(steps.filter((s) => s.opened).length, 1);
  assert.equal(steps.findIndex((s) => s.opened), 16, 'opens at the second detection within 10 scores');
  const after = Array.from({ length: 10 }, () => g.update(false).verdict);
  assert.equal(after.indexOf('clear'), 8, 'clears when the last detection leaves the window');
});

test('forecast gate: opens only after the forecast stayed inside the horizon for the persistence time; a break restarts it', () => {
  const g = new ForecastGate({ horizonMs: 7 * 24 * HOUR, persistMs: 2 * HOUR, recoverHorizonMs: 8 * 24 * HOUR });
  const inside = (t: number) => g.update({ etaMs: 3 * 24 * HOUR, highMs: 5 * 24 * HOUR, ts: t * HOUR });
  assert.equal(inside(0).verdict, 'hold');
  assert.equal(inside(1).verdict, 'hold');
  // The band's late bound leaves the horizon: an exam ramp, not a trend. The clock restarts.
  assert.equal(g.update({ etaMs: 3 * 24 * HOUR, highMs: 9 * 24 * HOUR, ts: 1.5 * HOUR }).opened, false);
  assert.equal(inside(2).opened, false);
  assert.equal(inside(3.5).opened, false);
  const open = inside(4);
  assert.deepEqual(open, { verdict: 'raise', opened: true });
  assert.equal(inside(5).opened, false, 'one alert while it stays');
  assert.equal(g.update({ etaMs: 7.5 * 24 * HOUR, highMs: 9 * 24 * HOUR, ts: 6 * HOUR }).verdict, 'hold', 'inside the recovery band');
  assert.equal(g.update({ etaMs: null, ts: 7 * HOUR }).verdict, 'clear');
});
