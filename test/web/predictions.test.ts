import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TelemetryReading } from '../../contracts/index.js';
import type { Prediction } from '../../contracts/alert-signals.js';
import { findMetric } from '../../contracts/metric-catalog.js';
import { formatDuration, timeTicks } from '../../web/src/lib/format.js';
import { forecastPoints, limitFor, soonestTimeToFailure, timeToFailure } from '../../web/src/lib/predictions.js';
import { applyReading, HISTORY_SAMPLES, resetTelemetryStore, snapshot } from '../../web/src/data/telemetry.js';

const H = 3_600_000, D = 24 * H;
const mri = (metrics: Record<string, number>, ts = 0): TelemetryReading => ({ site: 's', modality: 'mri', scannerId: 'm1', ts, metrics });
const pred = (metric: string, etaMs: number | null, extra: Partial<Prediction> = {}): Prediction => ({ scannerId: 'm1', site: 's', modality: 'mri', metric, etaMs, ts: 0, ...extra });

test('durations read the way a person says them', () => {
  assert.equal(formatDuration(45_000), '45 s');
  assert.equal(formatDuration(12 * 60_000), '12 min');
  assert.equal(formatDuration(5.5 * H), '5.5 h');
  assert.equal(formatDuration(3.2 * D), '3.2 d');
  assert.equal(formatDuration(-5), '0 s');
  assert.equal(formatDuration(Number.NaN), '—');
  assert.equal(formatDuration(350), '350 ms');
  assert.equal(formatDuration(5 * H), '5 h', 'no trailing .0');
  assert.equal(formatDuration(36 * H), '36 h');
});

test('the limit a forecast heads for: the only critical limit, or the one on the side the value drifts to', () => {
  assert.deepEqual(limitFor(findMetric('mri', 'helium_level_pct')!, 70), { limit: 50, direction: 'below' });
  assert.deepEqual(limitFor(findMetric('mri', 'coldhead_temp_k')!, 4), { limit: 6, direction: 'above' });
  const drift = findMetric('mri', 'gradient_amp_drift_pct')!;
  assert.deepEqual(limitFor(drift, -2), { limit: -3, direction: 'below' });
  assert.deepEqual(limitFor(drift, 2), { limit: 3, direction: 'above' });
  const { critical: _critical, ...noLimits } = findMetric('mri', 'vibration_mm_s')!;
  assert.equal(limitFor(noLimits, 1), undefined);
});

test('a time-to-failure badge names the metric, the limit and the time left, counting down since the forecast', () => {
  const t = timeToFailure(pred('helium_level_pct', 3.2 * D, { low: 2.5 * D, high: 4 * D }), mri({ helium_level_pct: 70 }), 0);
  assert.equal(t?.text, 'Helium level < 50 % in 3.2 d');
  assert.match(t?.detail ?? '', /between 2\.5 d and 4 d/);
  const later = timeToFailure(pred('helium_level_pct', 3.2 * D), mri({ helium_level_pct: 70 }), 0.2 * D);
  assert.equal(later?.text, 'Helium level < 50 % in 3 d');
  assert.equal(timeToFailure(pred('helium_level_pct', 0), mri({ helium_level_pct: 49 }), 0)?.text, 'Helium level < 50 % now');
  assert.equal(timeToFailure(pred('helium_level_pct', null), mri({}), 0), undefined);
  assert.equal(timeToFailure(pred('rul', 5 * D), mri({}), 0), undefined, 'a model output without a catalog limit gets no badge');
});

test('the soonest of several forecasts is shown, with a count of the others', () => {
  const m = new Map([['helium_level_pct', pred('helium_level_pct', 3 * D)], ['coldhead_temp_k', pred('coldhead_temp_k', 5 * H)]]);
  const t = soonestTimeToFailure(m, mri({ helium_level_pct: 70, coldhead_temp_k: 4.5 }), 0);
  assert.equal(t?.text, 'Cold-head temperature > 6 K in 5 h');
  assert.equal(t?.others, 1);
  assert.equal(soonestTimeToFailure(undefined, undefined, 0), undefined);
});

test('forecast lines run from the current value to the limit, the band between the early and late crossings', () => {
  const t = timeToFailure(pred('helium_level_pct', 10 * H, { low: 8 * H, high: 12 * H }), mri({ helium_level_pct: 70 }), 0)!;
  const pts = forecastPoints(0, 70, t, 100 * H, 10);
  assert.equal(pts[0]?.forecast, 70);
  const atEta = pts.find((p) => p.ts >= 10 * H)!;
  assert.ok(Math.abs(atEta.forecast - 50) < 1e-9);
  assert.equal(pts.at(-1)?.ts, 12 * H, 'drawn until the late crossing');
  for (const p of pts) assert.ok(p.forecastBand[0] <= p.forecast && p.forecast <= p.forecastBand[1]);
  assert.equal(forecastPoints(0, 70, t, 2 * H, 4).at(-1)?.ts, 2 * H, 'clipped to the chart');
});

test('the telemetry store replaces history arrays (so memoised tiles see the change) and caps them', () => {
  resetTelemetryStore();
  applyReading(mri({ helium_level_pct: 80 }, 1));
  const first = snapshot().history.get('m1');
  for (let i = 2; i <= HISTORY_SAMPLES + 10; i++) applyReading(mri({ helium_level_pct: 80 + (i % 2) }, i));
  const now = snapshot().history.get('m1');
  assert.equal(first?.length, 1, 'an array handed out earlier was mutated');
  assert.equal(now?.length, HISTORY_SAMPLES);
  assert.equal(now?.at(-1)?.ts, HISTORY_SAMPLES + 10);
  assert.equal(applyReading(mri({ helium_level_pct: 1 }, 5)), false, 'a late reading rolled the display back');
  assert.equal(snapshot().latest.get('m1')?.metrics.helium_level_pct, 80 + ((HISTORY_SAMPLES + 10) % 2));
  resetTelemetryStore();
});

test('time-axis ticks fall on round boundaries across the whole range, however little data there is', () => {
  const from = Date.UTC(2026, 0, 1, 12, 3, 20), to = from + 15 * 60_000;
  const ticks = timeTicks(from, to);
  assert.ok(ticks.length >= 3 && ticks.length <= 6, `${ticks.length} ticks`);
  assert.ok(ticks.every((t) => t >= from && t <= to && t % 60_000 === 0));
  assert.equal(ticks[1]! - ticks[0]!, 5 * 60_000);
  assert.ok(timeTicks(to - 365 * D, to).length <= 6);
  assert.deepEqual(timeTicks(to, from), []);
});
