// The live server's alerts follow the same gates as eval:fleet: a real platform loaded with the shipped
// rules (rules/scanners.yaml) gets the anomaly scores and forecasts of a simulated fleet on its bus, as the
// scoring worker publishes them, and must open exactly the alerts eval:fleet counts from the same signals.
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../contracts/index.js';
import { initBackend } from '../../models/src/backend.js';
import { StreamingAnomalyDetector } from '../../models/src/anomaly/streaming-detector.js';
import { scoreFleet } from '../../models/src/fleet/evaluate.js';
import { collectSignals, type ScannerSignals } from '../../models/src/fleet/signals.js';
import { gaussian, seededRandom } from '../../lib/random.js';
import { SimulatorScenarioSource } from '../../scripts/eval/fleet-simulator-source.js';
import { shippedGates } from '../../scripts/eval/shipped-gates.js';
import type { TestPlatform } from '../support/platform.js';
import { rulesDir, startAlertPlatform } from '../alerts/support.js';

const GATED = new Set(['scanner-anomaly', 'scanner-forecast']);
let p: TestPlatform;
/** Sample time at which each gated alert went to firing, per alert id. */
const fired: Array<{ id: string; ts: number }> = [];
let sampleTs = 0;

before(async () => {
  await initBackend();
  p = await startAlertPlatform(rulesDir({ 'scanners.yaml': readFileSync('rules/scanners.yaml', 'utf8') }));
  const last = new Map<string, string>();
  p.bus.on('alert', (a: Alert) => {
    if (!GATED.has(a.ruleId)) return;
    if (a.state === 'firing' && last.get(a.id) !== 'firing') fired.push({ id: a.id, ts: sampleTs });
    last.set(a.id, a.state);
  });
});
after(async () => { await p?.close(); });

const where = (scannerId: string) => ({ scannerId, site: 'central', modality: 'mri' as const });

test('engine: a developing fault raises exactly one anomaly alert; a one-sample blip raises none', async () => {
  const rand = seededRandom(5);
  const run = (scannerId: string, fault: (k: number) => number) => {
    const det = new StreamingAnomalyDetector({ dims: 1, warmup: 1e9 });
    for (let i = 0; i < 2000; i++) {
      sampleTs = Date.UTC(2026, 0, 1) + i * 120_000;
      const r = det.update([gaussian(rand) + (i >= 1200 ? fault(i - 1200) : 0)], sampleTs);
      p.bus.emit('anomaly', { ...where(scannerId), score: r.score, rawScore: r.rawScore, threshold: det.config.threshold, anomalyRate: r.anomalyRate, ts: sampleTs });
    }
    det.dispose();
  };
  run('par-fault', (k) => 0.6 * Math.sqrt(k));
  run('par-blip', (k) => (k === 0 ? 10 : 0));
  assert.equal(fired.filter((f) => f.id === 'scanner-anomaly:par-fault').length, 1);
  assert.equal(fired.filter((f) => f.id === 'scanner-anomaly:par-blip').length, 0);
});

test('the engine opens the alerts eval:fleet counts, at the same samples, from the same simulated signals', async () => {
  const scenario = new SimulatorScenarioSource().build({ scanners: 4, days: 4, intervalMs: 300_000, seed: 2, faultAfterDays: 1 });
  const signals = collectSignals(scenario, {
    detector: {},
    forecaster: { forecastEveryMs: 600_000, forecastSamples: 720, trendWindowMs: 48 * 3_600_000, fineWindowMs: 2 * 3_600_000, maxExtrapolation: 4, minTrendMs: 300_000, horizonMs: 30 * 86_400_000, loadFollowing: true },
  });
  const gates = shippedGates();
  const expected = scoreFleet(signals, { anomaly: gates.anomaly, forecast: gates.forecast, ignoreFirstMs: 0 }).alerts
    .map((a) => ({ id: a.source === 'anomaly' ? `scanner-anomaly:${a.scannerId}` : `scanner-forecast:${a.scannerId}:${a.cause.replace(/^forecast:/, '')}`, ts: a.ts }));
  assert.ok(expected.some((a) => a.id.startsWith('scanner-forecast:')), 'the scenario opens forecast alerts');
  const start = fired.length;
  for (const sig of signals.scanners) replay(sig, modalityOf(sig.scannerId));
  const got = fired.slice(start);
  const order = (xs: Array<{ id: string; ts: number }>) => [...xs].sort((a, b) => a.ts - b.ts || a.id.localeCompare(b.id));
  assert.deepEqual(order(got), order(expected));
});

function modalityOf(scannerId: string): 'mri' | 'ct' {
  return scannerId.includes('-ct-') ? 'ct' : 'mri';
}

/** Publishes one scanner's signals as the scoring worker would: a score per sample, forecasts as they came. */
function replay(sig: ScannerSignals, modality: 'mri' | 'ct'): void {
  const anomalous = new Set(sig.anomalous.map((a) => a.i));
  const reported = new Set(sig.detections);
  const unscored = new Set(sig.unscored ?? []);
  let f = 0;
  for (let i = 0; i < sig.ts.length; i++) {
    sampleTs = sig.ts[i]!;
    const base = { scannerId: sig.scannerId, site: 'central', modality, ts: sampleTs };
    if (!unscored.has(i)) p.bus.emit('anomaly', { ...base, score: reported.has(i) ? 1 : 0, rawScore: anomalous.has(i) ? 1 : 0, threshold: 0.5 });
    for (; sig.forecasts[f]?.i === i; f++) {
      const fc = sig.forecasts[f]!;
      p.bus.emit('prediction', { ...base, metric: fc.metric, etaMs: fc.etaMs, ...(fc.highMs !== undefined ? { high: fc.highMs } : {}) });
    }
  }
}
