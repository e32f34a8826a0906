import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../models/src/backend.js';
import { evaluateFleet } from '../../models/src/fleet/evaluate.js';
import type { FleetScenario, FleetSample } from '../../models/src/fleet/scenario.js';
import { DAY } from '../../contracts/units.js';

const STEP = 600_000;

/** Two MRI-like scanners for 4 days; helium on `leaky` falls 20 %-points a day from day 2.5. */
function scenario(): FleetScenario {
  const startMs = Date.UTC(2026, 0, 5);
  const faultAt = startMs + 2.5 * DAY;
  return {
    scanners: ['healthy', 'leaky'].map((scannerId) => ({ scannerId, limits: [{ metric: 'helium', limit: 50, direction: 'below' as const }] })),
    startMs,
    endMs: startMs + 4 * DAY,
    intervalMs: STEP,
    faults: [{ scannerId: 'leaky', kind: 'helium_leak', startMs: faultAt }],
    *samples(): Iterable<FleetSample> {
      for (let t = startMs, k = 0; t < startMs + 4 * DAY; t += STEP, k++) {
        for (const scannerId of ['healthy', 'leaky']) {
          const leak = scannerId === 'leaky' && t >= faultAt ? (20 * (t - faultAt)) / DAY : 0;
          const noise = 0.05 * Math.sin(k * 12.9898 + (scannerId === 'leaky' ? 1 : 0));
          yield { scannerId, ts: t, metrics: { helium: 75 - leak + noise, temp: 4.2 + 0.01 * Math.sin(k * 3.1) } };
        }
      }
    },
  };
}

test('a leak is detected before the helium crosses its limit; the healthy scanner raises nothing', async () => {
  await initBackend();
  const report = evaluateFleet(scenario(), {
    detector: { warmup: 200, refitEvery: 0, maxSteps: 100 },
    forecaster: { forecastEveryMs: STEP, forecastSamples: 144, trendWindowMs: DAY, fineWindowMs: 2 * 3_600_000, maxExtrapolation: 4, minTrendMs: 0, horizonMs: 30 * DAY, loadFollowing: true },
    anomaly: { n: 2, m: 300, recoverN: 0 },
    forecast: { horizonMs: 7 * DAY, persistMs: 2 * 3_600_000, recoverHorizonMs: 8.4 * DAY },
    ignoreFirstMs: DAY,
  });
  const leak = report.kinds.find((k) => k.kind === 'helium_leak');
  assert.ok(leak);
  assert.equal(leak.faults, 1);
  assert.equal(leak.detected, 1);
  assert.equal(leak.failures, 1);
  // Failure comes 1.25 days after the fault starts; detection should be well ahead of it.
  assert.ok(leak.medianLeadMs !== null && leak.medianLeadMs > 0.5 * DAY, `lead ${leak.medianLeadMs}`);
  assert.equal(report.falseAlarms, 0);
  assert.ok(Math.abs(report.healthyScannerDays - (3 + 1.5)) < 0.01);
});
