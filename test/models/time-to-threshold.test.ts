import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forecastTimeToThreshold, describeEta, type TimedSample } from '../../models/src/forecast/time-to-threshold.js';
import { DAY } from '../../contracts/units.js';


function noisyLine(n: number, start: number, perDay: number, noise: number): TimedSample[] {
  // Deterministic pseudo-noise keeps the test reproducible.
  return Array.from({ length: n }, (_, i) => ({ t: i * 3_600_000, value: start + (perDay * i) / 24 + noise * Math.sin(i * 12.9898) }));
}

test('helium falling 0.5 %/day from 75 % reaches 70 % in about 10 days, inside the band', () => {
  const samples = noisyLine(24 * 14, 82, -0.5, 0.2); // two weeks of hourly readings, now at ~75 %
  const f = forecastTimeToThreshold(samples, { limit: 70, direction: 'below' });
  assert.ok(f);
  const days = f.etaMs / DAY;
  assert.ok(days > 9 && days < 11, `eta ${days} days`);
  assert.ok(f.lowMs < f.etaMs && f.etaMs < f.highMs);
  assert.ok(f.slopePerDay < -0.45 && f.slopePerDay > -0.55);
  assert.match(describeEta(f), /^~10 d /);
});

test('noisier data widens the band', () => {
  const calm = forecastTimeToThreshold(noisyLine(200, 50, 1, 0.1), { limit: 80, direction: 'above' });
  const noisy = forecastTimeToThreshold(noisyLine(200, 50, 1, 2), { limit: 80, direction: 'above' });
  assert.ok(calm && noisy);
  assert.ok(noisy.highMs - noisy.lowMs > calm.highMs - calm.lowMs);
});

test('no forecast when the trend heads away from the limit or is indistinguishable from flat', () => {
  assert.equal(forecastTimeToThreshold(noisyLine(200, 50, 1, 0.1), { limit: 40, direction: 'below' }), null);
  assert.equal(forecastTimeToThreshold(noisyLine(200, 50, 0, 1), { limit: 60, direction: 'above' }), null);
  assert.equal(forecastTimeToThreshold(noisyLine(5, 50, 1, 0), { limit: 60, direction: 'above' }), null);
});

test('a metric already past its limit reports zero', () => {
  const f = forecastTimeToThreshold(noisyLine(50, 90, 1, 0.1), { limit: 80, direction: 'above' });
  assert.equal(f?.etaMs, 0);
});

test('a daily load cycle is not mistaken for a trend once a day has been seen', () => {
  // Power-like metric: 5-minute samples, 30 h, ramping with exam load; the limit is far above normal.
  const cycle = Array.from({ length: 360 }, (_, i) => ({ t: i * 300_000, value: 40 + 35 * Math.sin((2 * Math.PI * i) / 288) + Math.sin(i * 7.1) }));
  assert.equal(forecastTimeToThreshold(cycle, { limit: 120, direction: 'above', minSpanMs: DAY }), null);
  assert.equal(forecastTimeToThreshold(cycle.slice(0, 60), { limit: 120, direction: 'above', minSpanMs: DAY }), null);
  // The same span with a real drift still forecasts.
  const drift = cycle.map((s, i) => ({ t: s.t, value: 40 + i * 0.2 + Math.sin(i * 7.1) }));
  assert.ok(forecastTimeToThreshold(drift, { limit: 120, direction: 'above', minSpanMs: DAY }));
});
