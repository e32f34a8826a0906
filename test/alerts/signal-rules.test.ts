// Anomaly, predictive and PACS rules, fed through the events their producers emit on a real platform's bus
// (the models and the PACS collector publish exactly these events).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../contracts/index.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { Recorder, rulesDir, startAlertPlatform } from './support.js';

const RULES = `
rules:
  - { id: anomaly, kind: anomaly, n: 3, m: 5, severity: warning, scope: { modality: [mri] } }
  - { id: coldhead-forecast, kind: predictive, metric: coldhead_temp_k, horizon: 1000, severity: critical }
  - { id: tier-fill, kind: pacs, signal: tier_fill_pct, op: above, warning: 85, critical: 95, recover: 80 }
  - { id: pacs-silent, kind: nodata, source: pacs, interval: 100, intervals: 3 }
  - id: helium
    kind: threshold
    metric: helium_level_pct
    op: below
    warning: 60
    overrides: { sig-1: { warning: 40 } }
`;

let p: TestPlatform;
let rec: Recorder;
before(async () => {
  p = await startAlertPlatform(rulesDir({ 'signals.yaml': RULES }));
  rec = new Recorder(p.bus);
});
after(async () => { rec?.stop(); await p?.close(); });

const scanner = { scannerId: 'sig-1', site: 'central', modality: 'mri' } as const;

test('anomaly: fires at 3 of the last 5 scores above the calibrated level, resolves when none are', async () => {
  const id = 'anomaly:sig-1';
  for (const score of [0.9, 0.1, 0.8, 0.2]) p.bus.emit('anomaly', { ...scanner, score, threshold: 0.5, ts: Date.now() });
  assert.equal(rec.of(id).length, 0, '2 of 4 is not enough');
  p.bus.emit('anomaly', { ...scanner, score: 0.95, threshold: 0.5, ts: Date.now() });
  assert.deepEqual(rec.transitions(id), ['firing']);
  for (let i = 0; i < 4; i++) p.bus.emit('anomaly', { ...scanner, score: 0.1, threshold: 0.5, ts: Date.now() });
  assert.deepEqual(rec.transitions(id), ['firing'], 'still one anomalous score in the last 5');
  p.bus.emit('anomaly', { ...scanner, score: 0.1, threshold: 0.5, ts: Date.now() });
  assert.deepEqual(rec.transitions(id), ['firing', 'resolved']);
});

test('predictive: a forecast whose whole band is under the horizon fires with the forecast attached; beyond the recovery horizon resolves', async () => {
  const id = 'coldhead-forecast:sig-1';
  const send = (etaMs: number | null, high = 1500) => p.bus.emit('prediction', { ...scanner, metric: 'coldhead_temp_k', etaMs, low: 500, high, ts: Date.now() });
  send(5000, 6000);
  assert.equal(rec.of(id).length, 0);
  send(800, 1500);
  assert.equal(rec.of(id).length, 0, 'time to the limit inside the horizon, but the late bound of the band is not');
  send(800, 950);
  const fired = rec.of(id)[0] as Alert;
  assert.equal(fired.state, 'firing');
  assert.equal(fired.severity, 'critical');
  assert.deepEqual(fired.prediction, { metric: 'coldhead_temp_k', etaMs: 800, low: 500, high: 950, ts: fired.prediction?.ts });
  send(1100);
  assert.deepEqual(rec.transitions(id), ['firing'], 'inside the recovery band (horizon × 1.2) it holds');
  send(null);
  assert.deepEqual(rec.transitions(id), ['firing', 'resolved']);
});

test('pacs: tier fill fires at warning, rises to critical, holds in the band, resolves below recovery', async () => {
  const id = 'tier-fill:pacs-a';
  const send = (value: number) => p.bus.emit('pacs', { pacsId: 'pacs-a', site: 'central', signal: 'tier_fill_pct', value, ts: Date.now() });
  send(70);
  send(86);
  send(96);
  send(82);
  assert.deepEqual(rec.of(id).map((a) => [a.state, a.severity]), [['firing', 'warning'], ['firing', 'critical']]);
  assert.equal(rec.of(id)[0]?.modality, 'pacs');
  send(79);
  assert.deepEqual(rec.transitions(id), ['firing', 'resolved']);
});

test('no data from a PACS probe fires after 3 intervals and resolves when it reports again', async () => {
  const id = 'pacs-silent:pacs-b';
  const lastReport = Date.now();
  p.bus.emit('pacs', { pacsId: 'pacs-b', site: 'north', signal: 'days_to_full', value: 90, ts: Date.now() });
  await eventually('pacs no-data fires', async () => rec.transitions(id), (t) => t.includes('firing'), 3000);
  const fired = rec.of(id)[0] as Alert;
  assert.ok((fired.firedAt as number) - lastReport > 300, `fired only after 3 × 100 ms of silence (${(fired.firedAt as number) - lastReport} ms)`);
  p.bus.emit('pacs', { pacsId: 'pacs-b', site: 'north', signal: 'days_to_full', value: 90, ts: Date.now() });
  assert.deepEqual(rec.transitions(id), ['firing', 'resolved']);
});

test('per-scanner override: sig-1 uses its own level, other scanners the rule level', async () => {
  p.bus.emit('telemetry', { ...scanner, ts: Date.now(), metrics: { helium_level_pct: 55 } });
  p.bus.emit('telemetry', { ...scanner, scannerId: 'sig-2', ts: Date.now(), metrics: { helium_level_pct: 55 } });
  assert.equal(rec.of('helium:sig-1').length, 0, 'override level 40 not crossed');
  assert.equal(rec.of('helium:sig-2')[0]?.state, 'firing');
});
