// The live forecast policy: confident forecasts only, from minutes of data for a fast fault and from days of
// data for a slow one; short noisy stretches and half-seen cycles give none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrendBuffers } from '../../models/src/forecast/trend-buffers.js';

const H = 3_600_000;
const policy = { fineStepMs: 1000, coarseStepMs: 240_000, capacity: 720, horizonMs: 30 * 24 * H, maxExtrapolation: 4, minSamples: 30, minSpanMs: 0 };
const noise = (i: number) => 0.05 * Math.sin(i * 12.9898) * Math.cos(i * 78.233);

test('a minute of data is not extrapolated to a limit far beyond it', () => {
  const b = new TrendBuffers(policy);
  // 60 s of a chiller temperature rising 0.005 °C/s from 17 °C: the 26 °C limit is 30 minutes away at that rate.
  for (let i = 0; i < 60; i++) b.push(i * 1000, 17 + 0.005 * i + noise(i));
  assert.equal(b.forecast(26, 'above', 59_000), null);
  // The same minute rising 0.05 °C/s: the limit is 2.5 minutes away, within four times the data's span.
  const fast = new TrendBuffers(policy);
  for (let i = 0; i < 60; i++) fast.push(i * 1000, 17 + 0.05 * i + noise(i));
  assert.ok(fast.forecast(26, 'above', 59_000));
  // ...unless the policy asks for more data than a minute before any forecast.
  const patient = new TrendBuffers({ ...policy, minSpanMs: 5 * 60_000 });
  for (let i = 0; i < 60; i++) patient.push(i * 1000, 17 + 0.05 * i + noise(i));
  assert.equal(patient.forecast(26, 'above', 59_000), null);
  // ...and never from the fine buffer for a metric that follows exam load.
  const load = new TrendBuffers({ ...policy, fine: false });
  for (let i = 0; i < 60; i++) load.push(i * 1000, 17 + 0.05 * i + noise(i));
  assert.equal(load.forecast(26, 'above', 59_000), null);
});

test('a fast fault: ten minutes of a steady fall give the time to the limit within the extrapolation bound', () => {
  const b = new TrendBuffers(policy);
  for (let i = 0; i < 600; i++) b.push(i * 1000, 80 - 0.02 * i + noise(i)); // 1.2 %/min, 68 % after 10 min
  const f = b.forecast(50, 'below', 599_000);
  assert.ok(f, 'forecast');
  assert.ok(Math.abs(f.etaMs / 60_000 - 15) < 1, `${f.etaMs / 60_000} min, expected about 15`);
});

test('a slow leak: two days of data forecast days ahead from the coarse buffer; a daily cycle gives nothing', () => {
  const leak = new TrendBuffers(policy);
  const cycle = new TrendBuffers(policy);
  for (let t = 0; t <= 48 * H; t += 10_000) {
    leak.push(t, 80 - (t / H) * 0.2 + noise(t / 10_000)); // 0.2 %/h: 50 % reached 102 h after the start
    cycle.push(t, 15 + 3 * Math.sin((2 * Math.PI * t) / (24 * H)) + noise(t / 10_000));
  }
  const f = leak.forecast(50, 'below', 48 * H);
  assert.ok(f, 'slow leak forecast');
  assert.ok(Math.abs(f.etaMs / H - 102) < 3, `${f.etaMs / H} h, expected about 102`);
  assert.equal(cycle.forecast(26, 'above', 48 * H), null);
});

test('the hours after a start: the rising half of a daily cycle is not a trend until a whole day is seen', () => {
  // Room temperature as the simulator draws it (a daily swing, 0.8 °C, plus the heat of exams), sampled every
  // 120 s from its night-time low, forecast toward its 24 °C warning limit with the live spans (fine buffer 2 h,
  // coarse 48 h, at least 5 min of data, a 7-day horizon).
  const live = { ...policy, coarseStepMs: 240_000, fineSpanMs: 2 * H, minSpanMs: 5 * 60_000, horizonMs: 7 * 24 * H };
  const b = new TrendBuffers(live);
  const seen: number[] = [];
  for (let t = 0; t <= 20 * H; t += 120_000) {
    const load = (t / H) % 1 < 0.6 ? 1 : 0;
    b.push(t, 20.5 + 0.8 * Math.sin((2 * Math.PI * t) / (24 * H) - Math.PI / 2) + 0.4 * load + noise(t / 120_000));
    if (t % (10 * 60_000) === 0 && b.forecast(24, 'above', t)) seen.push(t / H);
  }
  assert.deepEqual(seen, [], `forecasts at hours ${seen.map((h) => h.toFixed(1)).join(', ')}`);
});
