// The whole platform serves the managers' numbers and a what-if run over HTTP from what is stored in its
// InfluxDB (status in the schema ingestion writes), proving the wiring in platform.ts and app.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DowntimeReport } from '../../contracts/downtime.js';
import type { WhatIfResult } from '../../contracts/whatif.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => { p = await startTestPlatform(); });
after(async () => { await p?.close(); });

const H = 3_600_000;

test('GET /api/downtime and POST /api/whatif on a running platform', async () => {
  const now = Date.now();
  const t0 = Math.floor((now - 10 * 24 * H) / H) * H;
  const line = (scanner: string, modality: string, ts: number, state: string) =>
    `scanner_status,site=central,modality=${modality},scanner=${scanner} state="${state}",state_code=0i,reason="" ${ts}`;
  const lines = [
    line('central-mri-1', 'mri', t0, 'up'), line('central-mri-1', 'mri', t0 + 24 * H, 'down'), line('central-mri-1', 'mri', t0 + 30 * H, 'up'),
    line('central-ct-1', 'ct', t0, 'up'), line('central-ct-1', 'ct', t0 + 48 * H, 'maintenance'), line('central-ct-1', 'ct', t0 + 52 * H, 'up'),
  ];
  const s = p.influx.settings;
  const res = await fetch(`${s.url}/write?db=${s.database}&rp=${s.retentionPolicy}&precision=ms`, { method: 'POST', body: lines.join('\n') });
  assert.equal(res.status, 204);

  const to = t0 + 96 * H;
  const report = await p.api(`/api/downtime?from=${t0}&to=${to}&groupBy=modality`);
  assert.equal(report.status, 200, await report.clone().text());
  const body = (await report.json()) as DowntimeReport;
  const byKey = new Map(body.groups.map((g) => [g.key, g]));
  assert.deepEqual([byKey.get('mri')?.unplannedDowntimeHours, byKey.get('mri')?.failures, byKey.get('mri')?.mttrHours, byKey.get('mri')?.costUsd], [6, 1, 6, 6 * 1710]);
  assert.deepEqual([byKey.get('ct')?.plannedDowntimeHours, byKey.get('ct')?.availabilityPct, byKey.get('ct')?.failures], [4, 100, 0]);

  const w = await p.api('/api/whatif', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: 'central', scenario: { kind: 'volume', modality: 'mri', pct: 15 }, replications: 3, days: 5, warmupDays: 1 }),
  });
  assert.equal(w.status, 200, await w.clone().text());
  const result = (await w.json()) as WhatIfResult;
  assert.deepEqual(result.model.modalities.map((m) => [m.modality, m.scanners.map((x) => x.id)]), [['ct', ['central-ct-1']], ['mri', ['central-mri-1']]]);
  const exams = result.metrics.find((m) => m.name === 'exams_per_day' && m.scope === 'mri');
  assert.ok((exams?.difference.mean ?? 0) > 0, JSON.stringify(exams));
});
