// Live telemetry gets an anomaly score per scanner every models.scoreEverySeconds, visible on Socket.IO and stored in
// InfluxDB; a metric trending to its critical limit gets a time-to-threshold prediction.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { io as ioClient } from 'socket.io-client';
import type { AnomalyScore, Prediction } from '../../contracts/alert-signals.js';
import { eventually, metricValue, startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => { p = await startTestPlatform({ 'models.forecastEveryMs': 1000 }); });
after(async () => { await p?.close(); });

test('readings are scored live (Socket.IO + InfluxDB) and a falling helium level is forecast to its limit', async () => {
  const sock = ioClient(p.url, { transports: ['websocket'], extraHeaders: { cookie: p.adminCookie } });
  const scores: AnomalyScore[] = [];
  const socketScores: AnomalyScore[] = [];
  const predictions: Prediction[] = [];
  const off = p.bus.on('anomaly', (a) => scores.push(a));
  // Scores go out volatile (like telemetry): a burst may be thinned for a client, never queued behind.
  sock.on('anomaly', (a: AnomalyScore) => socketScores.push(a));
  sock.on('prediction', (x: Prediction) => predictions.push(x));
  await new Promise<void>((r) => sock.on('connect', () => r()));
  try {
    // 60 samples, 10 s apart in sample time, helium falling 0.1 % per sample from 70 %: the critical limit
    // (50 %) is 200 samples = 2,000 s after the last one at this rate.
    const t0 = Date.now() - 600_000;
    for (let i = 0; i < 60; i++) {
      p.bus.emit('telemetry', { site: 'central', modality: 'mri', scannerId: 'model-mri-1', ts: t0 + i * 10_000, metrics: { helium_level_pct: 70 - i * 0.1, coldhead_temp_k: 4.1 } });
    }
    // One score per models.scoreEverySeconds (120 s) of sample time: samples 0, 12, 24, 36 and 48.
    await eventually('5 scores', async () => scores.length, (n) => n >= 5, 30000);
    await eventually('scores on the socket', async () => socketScores.length, (n) => n >= 1);
    assert.ok(scores.every((s) => s.scannerId === 'model-mri-1' && s.score >= 0 && s.score <= 1));
    const helium = await eventually('helium prediction', async () => predictions.find((x) => x.metric === 'helium_level_pct' && x.etaMs !== null), (x) => x !== undefined, 30000);
    const etaS = (helium?.etaMs ?? 0) / 1000;
    assert.ok(etaS > 1500 && etaS < 2600, `eta ${etaS} s, expected about 2,000 s`);
    assert.ok((helium?.low ?? 0) <= (helium?.etaMs ?? 0) && (helium?.etaMs ?? 0) <= (helium?.high ?? Infinity));
    const stored = await eventually('scores in InfluxDB', () => p.influx.query(`SELECT count("score") FROM "anomaly_score" WHERE "scanner" = 'model-mri-1'`),
      (r) => Number(r[0]?.[0]?.values[0]?.[1] ?? 0) === 5);
    assert.equal(Number(stored[0]?.[0]?.values[0]?.[1]), 5);
    assert.deepEqual(scores.map((x) => (x.ts - t0) / 10_000), [0, 12, 24, 36, 48]);
    assert.ok(await metricValue(p.url, 'gantry_model_scored_readings_total') >= 5);
  } finally {
    off();
    sock.close();
  }
});
