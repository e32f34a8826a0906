// Series queries against a real InfluxDB with seeded data: exact bucket values and boundaries, and a year of
// 1-minute data downsampled within the row limit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseStepMs } from '../../server/series/series-query.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

async function writeLines(lines: string[]): Promise<void> {
  const url = `${p.privateInfluxd?.url}/write?db=gantry&rp=raw&precision=ms`;
  for (let i = 0; i < lines.length; i += 100_000) {
    const res = await fetch(url, { method: 'POST', body: lines.slice(i, i + 100_000).join('\n') });
    assert.equal(res.status, 204, await res.text());
  }
}

interface Series { stepMs: number; series: { metric: string; points: { ts: number; mean: number; min: number; max: number }[] }[] }
const series = async (qs: string): Promise<Series> => {
  const res = await p.api(`/api/telemetry/series?${qs}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Series;
};

// Aligned to an hour so minute buckets start exactly on it; 2 days ago so it is inside retention.
const T0 = Math.floor((Date.now() - 2 * DAY) / 3_600_000) * 3_600_000;

before(async () => {
  p = await startTestPlatform({ 'influx.retentionDays': 400, 'api.seriesMaxPoints': 500 });
  // exact-1: value i every 10 s for 10 minutes (i = 0..59), plus coldhead at half the value.
  await writeLines(Array.from({ length: 60 }, (_, i) => `telemetry,modality=mri,scanner=exact-1,site=central helium_level_pct=${i},coldhead_temp_k=${i / 2} ${T0 + i * 10_000}`));
});
after(async () => { await p?.close(); });

test('minute buckets: exact mean/min/max and epoch-aligned boundaries', async () => {
  const r = await series(`scanner=exact-1&metrics=helium_level_pct,coldhead_temp_k&from=${T0}&to=${T0 + 10 * MIN}&step=60`);
  assert.equal(r.stepMs, MIN);
  const he = r.series.find((s) => s.metric === 'helium_level_pct');
  assert.deepEqual(he?.points, Array.from({ length: 10 }, (_, k) => ({ ts: T0 + k * MIN, mean: 6 * k + 2.5, min: 6 * k, max: 6 * k + 5 })));
  const ch = r.series.find((s) => s.metric === 'coldhead_temp_k');
  assert.deepEqual(ch?.points[9], { ts: T0 + 9 * MIN, mean: (6 * 9 + 2.5) / 2, min: 27, max: 29.5 });
});

test('a range starting inside a bucket counts only the points in range; "to" is exclusive', async () => {
  const r = await series(`scanner=exact-1&metrics=helium_level_pct&from=${new Date(T0 + 30_000).toISOString()}&to=${T0 + 2 * MIN}&step=60`);
  assert.deepEqual(r.series[0]?.points, [
    { ts: T0, mean: 4, min: 3, max: 5 },
    { ts: T0 + MIN, mean: 8.5, min: 6, max: 11 },
  ]);
});

test('a step too small for the range is widened so at most maxPoints buckets come back', async () => {
  const r = await series(`scanner=exact-1&metrics=helium_level_pct&from=${T0}&to=${T0 + 10 * MIN}&step=1&maxPoints=10`);
  assert.equal(r.stepMs, 2 * MIN);
  assert.equal(r.series[0]?.points.length, 5);
  assert.deepEqual(r.series[0]?.points[0], { ts: T0, mean: 5.5, min: 0, max: 11 });
  for (const range of [1000, 3_600_000, 365 * DAY, 20 * 365 * DAY]) {
    for (const mp of [10, 500, 5000]) {
      const step = chooseStepMs(range, mp);
      assert.ok(Math.floor(range / step) + 1 <= mp, `range ${range} maxPoints ${mp} step ${step}`);
    }
  }
});

/** The same buckets computed by InfluxDB straight from raw data, for comparison. */
async function rawBuckets(scanner: string, from: number, to: number, stepMs: number): Promise<{ ts: number; mean: number; min: number; max: number }[]> {
  const [rows] = await p.influx.query(`SELECT mean("helium_level_pct"), min("helium_level_pct"), max("helium_level_pct") FROM "telemetry" WHERE "scanner" = '${scanner}' AND time >= ${from}ms AND time < ${to}ms GROUP BY time(${stepMs}ms) fill(none)`);
  return (rows?.[0]?.values ?? []).map((v) => ({ ts: Number(v[0]), mean: Number(v[1]), min: Number(v[2]), max: Number(v[3]) }));
}

test('hourly steps read the rollup for whole hours and raw data at the edges, with exact results', async () => {
  const H = 3_600_000;
  await writeLines(Array.from({ length: 36 }, (_, i) => `telemetry,modality=mri,scanner=exact-2,site=central helium_level_pct=${i} ${T0 + i * 10 * MIN}`));
  assert.equal((await p.api('/api/telemetry/rollup', { method: 'POST', json: { from: T0, to: T0 + 6 * H } })).status, 200);
  // Prove the middle really comes from the rollup: it holds sum/count/min/max per hour.
  const [roll] = await p.influx.query(`SELECT "count_helium_level_pct" FROM "rollup_1h"."telemetry" WHERE "scanner" = 'exact-2'`);
  assert.equal(roll?.[0]?.values.length, 6);
  const from = T0 + 25 * MIN, to = T0 + 5 * H + 25 * MIN;
  const r = await series(`scanner=exact-2&metrics=helium_level_pct&from=${from}&to=${to}&step=3600`);
  assert.equal(r.stepMs, H);
  assert.deepEqual(r.series[0]?.points, await rawBuckets('exact-2', from, to, H));
  assert.deepEqual(r.series[0]?.points[0], { ts: T0, mean: 4, min: 3, max: 5 });
});

test('a year of 1-minute data answers downsampled within the row limit', async () => {
  const start = Math.floor((Date.now() - 366 * DAY) / DAY) * DAY;
  const n = 365 * 24 * 60;
  const lines: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) lines[i] = `telemetry,modality=mri,scanner=year-1,site=central helium_level_pct=${i % 100} ${start + i * MIN}`;
  const t0 = performance.now();
  await writeLines(lines);
  const seeded = performance.now() - t0;
  const t3 = performance.now();
  assert.equal((await p.api('/api/telemetry/rollup', { method: 'POST', json: { from: start, to: start + 365 * DAY } })).status, 200);
  const rolled = performance.now() - t3;
  const t1 = performance.now();
  const r = await series(`scanner=year-1&metrics=helium_level_pct&from=${start}&to=${start + 365 * DAY}`);
  const yearMs = performance.now() - t1;
  const t2 = performance.now();
  const hour = await series(`scanner=year-1&metrics=helium_level_pct&from=${start}&to=${start + 3_600_000}`);
  const hourMs = performance.now() - t2;
  const pts = r.series[0]?.points ?? [];
  assert.ok(pts.length <= 500 && pts.length >= 300, `${pts.length} points`);
  assert.equal(r.stepMs, DAY);
  // Each day holds 1440 minutes of i % 100: min 0, max 99 in every bucket.
  assert.ok(pts.every((x) => x.min === 0 && x.max === 99));
  assert.equal(hour.series[0]?.points.length, 60);
  const raw = await rawBuckets('year-1', start, start + 365 * DAY, DAY);
  assert.equal(pts.length, raw.length);
  for (const [i, x] of pts.entries()) {
    assert.equal(x.ts, raw[i]?.ts);
    assert.ok(Math.abs(x.mean - (raw[i]?.mean ?? NaN)) < 1e-9, `day ${i}: ${x.mean} vs ${raw[i]?.mean}`);
  }
  process.stdout.write(`# seeded ${n} points in ${Math.round(seeded)} ms, rollup backfill ${Math.round(rolled)} ms; year query ${Math.round(yearMs)} ms (${pts.length} buckets), hour query ${Math.round(hourMs)} ms\n`);
});
