// Storage tiers for real: a folder that grows while Gantry samples it, Orthanc's disk size growing as
// instances are uploaded, and statfs of a mounted file system, each turned into fill %, growth and
// days-to-full. Plus PACS metrics pushed by an edge agent over MQTT, accepted through the same contract.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { PacsDerived, PacsTierForecast } from '../../contracts/pacs.js';
import { pacsMetricsTopic } from '../../contracts/pacs.js';
import { sleep } from '../../lib/net.js';
import { createLogger } from '../../lib/logger.js';
import { EventBus } from '../../lib/event-bus.js';
import { PacsPipeline } from '../../server/pacs/pipeline.js';
import { seedTierHistory } from '../../server/pacs/history.js';
import { startPrivateOrthanc, type PrivateOrthanc } from '../../server/services/private-orthanc.js';
import { eventually, metricValue, startTestPlatform, tempDir, type TestPlatform } from '../support/platform.js';
import { dicomDate, makeCanaryStudy } from './fixtures.js';

const MB = 1_000_000;

function tier(d: PacsDerived | undefined, name: string): PacsTierForecast {
  const t = d?.tiers.find((x) => x.tier === name);
  assert.ok(t, `tier ${name} in ${JSON.stringify(d)}`);
  return t;
}

function assertConsistent(t: PacsTierForecast): void {
  assert.ok(t.capacityBytes !== null && t.fillPct !== null && t.growthBytesPerDay !== null && t.daysToFull !== null, JSON.stringify(t));
  assert.ok(Math.abs(t.fillPct - (100 * t.usedBytes) / t.capacityBytes) < 1e-9);
  assert.ok(t.growthBytesPerDay > 0);
  assert.ok(Math.abs(t.daysToFull - (t.capacityBytes - t.usedBytes) / t.growthBytesPerDay) < 1e-9);
  assert.ok(t.daysToFullLow !== null && t.daysToFullLow <= t.daysToFull, JSON.stringify(t));
  assert.ok(t.daysToFullHigh === null || t.daysToFullHigh >= t.daysToFull, JSON.stringify(t));
}

describe('PACS storage tiers and pushed metrics', () => {
  let orthanc: PrivateOrthanc;
  let p: TestPlatform;
  const folder = tempDir('tier');
  const dir = tempDir('orthanc-tier');

  before(async () => {
    orthanc = await startPrivateOrthanc({ dir });
    p = await startTestPlatform({
      'pacs.derivedIntervalMs': 60_000, // computed on demand below
      'pacs.targets': [{
        id: 'store', site: 'test', host: orthanc.host, port: orthanc.dicomPort, calledAet: orthanc.aet,
        echo: { enabled: false }, find: { enabled: false }, retrieve: { enabled: false },
        rest: { url: orthanc.restUrl, username: orthanc.username, password: orthanc.password, intervalMs: 150 },
        tiers: [
          { name: 'hot', source: 'folder', path: folder, capacityBytes: 20 * MB, intervalMs: 100 },
          { name: 'orthanc-disk', source: 'orthanc', capacityBytes: 50 * MB },
          { name: 'root-fs', source: 'statfs', path: folder, intervalMs: 200 },
        ],
      }],
    });
  });
  after(async () => {
    await p?.close();
    await orthanc?.stop();
    for (const d of [folder, dir]) rmSync(d, { recursive: true, force: true });
  });

  test('a growing folder and a growing Orthanc give fill %, growth and days-to-full', async () => {
    const uid = `1.2.826.0.1.3680043.9.7433.${process.pid}.77`;
    for (let i = 0; i < 10; i++) {
      writeFileSync(join(folder, `f-${i}.bin`), Buffer.alloc(400_000, i));
      for (const f of makeCanaryStudy({ dir, studyUid: uid, studyDate: dicomDate(1), patientName: 'Tier^Test', patientId: 'T1', instances: 1 })) await orthanc.upload(f);
      await sleep(250);
    }
    const [d] = p.pacs.pipeline.computeNow().filter((x) => x.pacsId === 'store');
    const hot = tier(d, 'hot');
    assert.equal(hot.usedBytes, 4_000_000);
    assert.equal(hot.fillPct, 20);
    assertConsistent(hot);
    const disk = tier(d, 'orthanc-disk');
    assert.ok(disk.usedBytes >= 10 * 131072, `Orthanc disk size ${disk.usedBytes}`);
    assertConsistent(disk);
    const fs = tier(d, 'root-fs');
    assert.ok(fs.capacityBytes !== null && fs.fillPct !== null && fs.fillPct > 0 && fs.fillPct < 100, JSON.stringify(fs));

    const rows = await eventually('forecast points in InfluxDB', () => p.influx.query(`SELECT last("fill_pct"), last("days_to_full") FROM "pacs_forecast" WHERE "pacs" = 'store' GROUP BY "tier"`),
      (r) => (r[0]?.length ?? 0) === 3);
    const hotRow = rows[0]?.find((s) => s.tags?.tier === 'hot');
    assert.equal(hotRow?.values[0]?.[1], 20);
    assert.ok(Math.abs(Number(hotRow?.values[0]?.[2]) - (hot.daysToFull ?? NaN)) < 1e-9);
    const samples = await p.influx.query(`SELECT count("used_bytes") FROM "pacs_storage" WHERE "pacs" = 'store' GROUP BY "tier", "source"`);
    assert.deepEqual(samples[0]?.map((s) => `${s.tags?.tier}/${s.tags?.source}`).sort(), ['hot/folder', 'orthanc-disk/orthanc', 'root-fs/statfs']);

    // A restarted Gantry reads the stored samples back and forecasts the same from its first computation.
    await sleep(300); // let the drain write the last samples
    const live = p.pacs.pipeline.computeNow().find((x) => x.pacsId === 'store');
    const fresh = new PacsPipeline({ append: () => undefined }, new EventBus(), { derivedIntervalMs: 1000, probeWindowMs: 3_600_000, growthWindowMs: 3_600_000 }, createLogger('silent'));
    const n = await seedTierHistory((q) => p.influx.query(q), (x) => fresh.signals.recordStorage(x), 1);
    assert.ok(n >= 3 * 10, `read back ${n} samples`);
    const again = tier(fresh.computeNow().find((x) => x.pacsId === 'store'), 'hot');
    assertConsistent(again);
    assert.equal(again.usedBytes, tier(live, 'hot').usedBytes);
  });

  test('metrics pushed by an edge agent over MQTT are stored and derived like local ones', async () => {
    const client = await mqtt.connectAsync(p.mqttUrl);
    const topic = pacsMetricsTopic({ site: 'edge', pacsId: 'remote-pacs' });
    const now = Date.now();
    await client.publishAsync(topic, JSON.stringify({
      ts: now,
      probes: [
        { probe: 'echo', ts: now - 1000, ok: true, durationMs: 12 },
        { probe: 'echo', ts: now - 500, ok: false, durationMs: 3, cause: 'association_rejected', code: 'calling_ae_not_recognized' },
        { probe: 'retrieve', ts: now - 400, ok: true, durationMs: 6400, ageBucket: 'ge_3y', canary: 'old', firstInstanceMs: 900, bytes: 5e6, mbPerSec: 0.8 },
      ],
      storage: [{ tier: 'archive', usedBytes: 9e11, capacityBytes: 1e12 }],
      stats: { count_studies: 1234 },
    }), { qos: 1 });
    const before = await metricValue(p.url, 'gantry_ingest_rejects_total', '{reason="schema"}');
    await client.publishAsync(topic, JSON.stringify({ ts: now, probes: [{ probe: 'echo', ts: now, ok: true, durationMs: 1, patientName: 'x' }] }), { qos: 1 });
    await client.endAsync();
    const rows = await eventually('pushed probes in InfluxDB', () => p.influx.query(`SELECT count("duration_ms") FROM "pacs_probe" WHERE "pacs" = 'remote-pacs' AND "site" = 'edge' GROUP BY "probe"`),
      (r) => (r[0]?.length ?? 0) === 2);
    assert.deepEqual(rows[0]?.map((s) => [s.tags?.probe, s.values[0]?.[1]]).sort(), [['echo', 2], ['retrieve', 1]]);
    const st = await eventually('pushed storage', () => p.influx.query(`SELECT "fill_pct" FROM "pacs_storage" WHERE "pacs" = 'remote-pacs' AND "source" = 'mqtt'`), (r) => r[0]?.[0] !== undefined);
    assert.equal(st[0]?.[0]?.values[0]?.[1], 90);
    await eventually('schema reject counted', () => metricValue(p.url, 'gantry_ingest_rejects_total', '{reason="schema"}'), (v) => v === (Number.isNaN(before) ? 0 : before) + 1);
    const d = p.pacs.pipeline.computeNow().find((x) => x.pacsId === 'remote-pacs');
    assert.equal(tier(d, 'archive').fillPct, 90);
    assert.deepEqual(d?.failures.map((f) => [f.probe, f.cause, f.rate]), [['echo', 'association_rejected', 0.5]]);
    assert.equal(d?.latency.find((l) => l.probe === 'retrieve')?.maxMs, 6400);
  });
});
