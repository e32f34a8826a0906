// Stored model output for the scanner page, against a real InfluxDB: the anomaly score series (downsampled,
// with its threshold), the latest forecast per metric (a withdrawn one left out), and site scoping of these
// and of the scanner state timeline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesResponse } from '../../contracts/index.js';
import type { Prediction } from '../../contracts/alert-signals.js';
import { anomalyToLine, predictionToLine } from '../../server/telemetry/line-protocol.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
const T0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const id = { scannerId: 'north-mri-1', site: 'north', modality: 'mri' as const };

before(async () => {
  p = await startTestPlatform({ 'models.enabled': false });
  const lines = [
    // 10 minutes of scores, one every 10 s: 0.1 for the first 5 minutes, 0.9 after.
    ...Array.from({ length: 60 }, (_, i) => anomalyToLine({ ...id, score: i < 30 ? 0.1 : 0.9, threshold: 0.5, ts: T0 + i * 10_000 })),
    predictionToLine({ ...id, metric: 'helium_level_pct', etaMs: 7_200_000, low: 6_000_000, high: 9_000_000, ts: T0 }),
    predictionToLine({ ...id, metric: 'helium_level_pct', etaMs: 3_600_000, low: 3_000_000, high: 4_000_000, ts: T0 + 60_000 }),
    predictionToLine({ ...id, metric: 'coldhead_temp_k', etaMs: 1_000_000, ts: T0 }),
    predictionToLine({ ...id, metric: 'coldhead_temp_k', etaMs: null, ts: T0 + 60_000 }),
    'scanner_status,modality=mri,scanner=north-mri-1,site=north state="up",state_code=0i,reason="" ' + String(T0),
  ];
  const s = p.influx.settings;
  const res = await fetch(`${s.url}/write?db=${s.database}&rp=${s.retentionPolicy}&precision=ms`, { method: 'POST', body: lines.join('\n') });
  assert.equal(res.status, 204, await res.text());
  for (const [path, method, json] of [
    ['/api/fleet/sites/north', 'PUT', { name: 'North' }],
    ['/api/fleet/sites/south', 'PUT', { name: 'South' }],
    ['/api/fleet/scanners/north-mri-1', 'PUT', { site: 'north', modality: 'mri', vendor: 'Siemens', model: 'Aera', serial: 'N1' }],
    ['/api/users', 'POST', { username: 'south-biomed', password: 'south-biomed-password', role: 'biomed', sites: ['south'], mustChangePassword: false }],
    ['/api/users', 'POST', { username: 'north-biomed', password: 'north-biomed-password', role: 'biomed', sites: ['north'], mustChangePassword: false }],
  ] as const) {
    const r = await p.api(path, { method, json });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${await r.text()}`);
  }
});
after(async () => { await p?.close(); });

test('the anomaly score series comes back downsampled with its threshold', async () => {
  const res = await p.api(`/api/models/anomaly-series?scanner=north-mri-1&from=${T0}&to=${T0 + 600_000}&maxPoints=11`);
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as SeriesResponse;
  assert.equal(body.stepMs, 60_000);
  const score = body.series.find((x) => x.metric === 'score')?.points ?? [];
  assert.equal(score.length, 10);
  const near = (a: number | null | undefined, b: number) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);
  near(score[0]?.mean, 0.1);
  near(score[4]?.mean, 0.1);
  near(score[5]?.mean, 0.9);
  near(score[9]?.max, 0.9);
  assert.equal(body.series.find((x) => x.metric === 'threshold')?.points[0]?.mean, 0.5);
});

test('a long range reads the hourly rollup of the scores (exact means from sum and count)', async () => {
  // Two days ago: 3 hours of scores, one a minute, score = minute of the hour / 60.
  const start = Math.floor((Date.now() - 2 * 86_400_000) / 3_600_000) * 3_600_000;
  const lines = Array.from({ length: 180 }, (_, i) => anomalyToLine({ ...id, score: (i % 60) / 60, threshold: 0.5, ts: start + i * 60_000 }));
  const s = p.influx.settings;
  assert.equal((await fetch(`${s.url}/write?db=${s.database}&rp=${s.retentionPolicy}&precision=ms`, { method: 'POST', body: lines.join('\n') })).status, 204);
  assert.equal((await p.api('/api/telemetry/rollup', { method: 'POST', json: { from: start, to: start + 3 * 3_600_000 } })).status, 200);
  const [rolled] = await p.influx.query(`SELECT sum("count_score") FROM "rollup_1h"."anomaly_score" WHERE "scanner" = 'north-mri-1' AND time >= ${start}ms AND time < ${start + 3 * 3_600_000}ms`);
  assert.equal(rolled?.[0]?.values[0]?.[1], 180, 'the rollup holds the scores');
  // Overwrite the first hour in the rollup only: the answer must show it, so it came from the rollup.
  const hour0 = `anomaly_score,modality=mri,scanner=north-mri-1,site=north sum_score=15,count_score=60i,min_score=0.25,max_score=0.25 ${start}`;
  assert.equal((await fetch(`${s.url}/write?db=${s.database}&rp=rollup_1h&precision=ms`, { method: 'POST', body: hour0 })).status, 204);
  const res = await p.api(`/api/models/anomaly-series?scanner=north-mri-1&from=${start - 86_400_000}&to=${start + 86_400_000}&maxPoints=60`);
  const body = (await res.json()) as SeriesResponse;
  assert.equal(body.stepMs, 3_600_000);
  const score = (body.series.find((x) => x.metric === 'score')?.points ?? []).filter((x) => x.ts >= start && x.ts < start + 3 * 3_600_000);
  assert.deepEqual(score.map((x) => [x.ts, Math.round((x.mean ?? NaN) * 1e6) / 1e6, x.min, Math.round((x.max ?? NaN) * 1e6) / 1e6]),
    [[start, 0.25, 0.25, 0.25], ...[1, 2].map((h) => [start + h * 3_600_000, Math.round((59 / 120) * 1e6) / 1e6, 0, Math.round((59 / 60) * 1e6) / 1e6])]);
});

test('the latest forecast per metric; a withdrawn one is left out', async () => {
  const res = await p.api('/api/models/predictions?scanner=north-mri-1');
  assert.equal(res.status, 200, await res.clone().text());
  const body = (await res.json()) as Prediction[];
  assert.deepEqual(body, [{ scannerId: 'north-mri-1', site: 'north', modality: 'mri', metric: 'helium_level_pct', etaMs: 3_600_000, low: 3_000_000, high: 4_000_000, ts: T0 + 60_000 }]);
});

test('site-scoped users see model output and the state timeline only for their sites', async () => {
  const south = await p.login('south-biomed', 'south-biomed-password');
  const north = await p.login('north-biomed', 'north-biomed-password');
  for (const path of [`/api/models/anomaly-series?scanner=north-mri-1&from=${T0}`, '/api/models/predictions?scanner=north-mri-1', '/api/downtime/timeline?scannerId=north-mri-1']) {
    assert.equal((await p.api(path, { cookie: south })).status, 404, `${path} as a south user`);
    const ok = await p.api(path, { cookie: north });
    assert.equal(ok.status, 200, `${path} as a north user: ${await ok.text()}`);
  }
});
