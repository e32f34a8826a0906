// Downtime figures against values computed by hand on the crafted histories in fixtures.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTimeline } from '../../server/downtime/timeline.js';
import { buildReport, periods, type ScannerHistory } from '../../server/downtime/report.js';
import { reportCsv } from '../../server/downtime/csv.js';
import { at, H, scannerA, scannerB } from './fixtures.js';

const RATES = { mri: 1710, ct: 1200, petct: 2000, xray: 250, us: 200 } as const;

function histories(): ScannerHistory[] {
  return [
    { scannerId: 'a-mri-1', site: 'central', modality: 'mri', vendor: 'acme', intervals: computeTimeline({ from: at(0), to: at(40), ...scannerA }) },
    { scannerId: 'b-ct-1', site: 'riverside', modality: 'ct', intervals: computeTimeline({ from: at(-5), to: at(40), ...scannerB }) },
  ];
}

test('per scanner: hours by state, availability, failures, MTBF, MTTR and cost', () => {
  const r = buildReport(histories(), { from: at(0), to: at(40), groupBy: 'scanner', top: 5, costPerHourUsd: RATES });
  const [a, b] = r.groups;
  assert.deepEqual(a && { key: a.key, up: a.upHours, deg: a.degradedHours, down: a.unplannedDowntimeHours, planned: a.plannedDowntimeHours, unknown: a.unknownHours },
    { key: 'a-mri-1', up: 22, deg: 6, down: 2, planned: 4, unknown: 6 });
  assert.equal(a?.availabilityPct, 93.333); // 28 / 30
  assert.equal(a?.dataCoveragePct, 85); // 34 / 40
  assert.equal(a?.failures, 1);
  assert.equal(a?.mtbfHours, 28);
  assert.equal(a?.mttrHours, 2);
  assert.equal(a?.costUsd, 3420);
  assert.equal(a?.plannedCostUsd, 6840);
  assert.equal(a?.vendor, 'acme');

  assert.equal(b?.key, 'b-ct-1');
  assert.equal(b?.upHours, 20);
  assert.equal(b?.unplannedDowntimeHours, 17);
  assert.equal(b?.unknownHours, 3);
  assert.equal(b?.failures, 2); // the episode carried in from -5 h is not counted again
  assert.equal(b?.mttrHours, 7); // (4 + 10) / 2
  assert.equal(b?.mtbfHours, 10); // 20 / 2
  assert.equal(b?.availabilityPct, 54.054); // 20 / 37
  assert.equal(b?.costUsd, 20400);
  assert.equal(b?.vendor, 'unknown');
});

test('groups pool their hours: fleet MTBF and MTTR are not averages of averages', () => {
  const r = buildReport(histories(), { from: at(0), to: at(40), groupBy: 'fleet', top: 1, costPerHourUsd: RATES });
  assert.equal(r.groups.length, 1);
  const f = r.groups[0];
  assert.equal(f?.scanners, 2);
  assert.equal(f?.rangeHours, 80);
  assert.equal(f?.availabilityPct, 71.642); // 48 / 67
  assert.equal(f?.failures, 3);
  assert.equal(f?.mtbfHours, 16); // 48 / 3
  assert.equal(f?.mttrHours, 5.333); // 16 / 3
  assert.equal(f?.costUsd, 23820);
  const { key: _key, ...pooled } = f ?? { key: '' };
  assert.deepEqual(r.total, pooled);
  assert.deepEqual(r.topOffenders.map((o) => o.key), ['b-ct-1']);
  const bySite = buildReport(histories(), { from: at(0), to: at(40), groupBy: 'site', top: 5, costPerHourUsd: RATES });
  assert.deepEqual(bySite.groups.map((g) => [g.key, g.unplannedDowntimeHours]), [['central', 2], ['riverside', 17]]);
});

test('a sub-range: an episode that began before it adds hours but no failure', () => {
  // [9, 40) for B: down 9-10 belongs to the episode that began at 8.
  const r = buildReport(histories(), { from: at(9), to: at(40), groupBy: 'modality', top: 5, costPerHourUsd: RATES });
  const ct = r.groups.find((g) => g.key === 'ct');
  assert.equal(ct?.unplannedDowntimeHours, 13); // 1 + 2 + 10
  assert.equal(ct?.failures, 1);
  assert.equal(ct?.mttrHours, 10);
});

test('weekly and monthly trends split at calendar boundaries (UTC, ISO weeks)', () => {
  // Down from Sunday 2026-01-04 20:00 to Monday 02:00: the failure belongs to W01, two of its hours to W02.
  const from = at(-24);
  const to = at(24);
  const intervals = computeTimeline({ from, to, status: [{ ts: at(-24), state: 'up' }, { ts: at(-4), state: 'down' }, { ts: at(2), state: 'up' }] });
  const r = buildReport([{ scannerId: 'x', site: 's', modality: 'mri', intervals }], { from, to, groupBy: 'scanner', top: 5, costPerHourUsd: RATES });
  assert.deepEqual(r.weekly.map((w) => [w.period, w.rangeHours, w.unplannedDowntimeHours, w.failures, w.mttrHours]), [
    ['2026-W01', 24, 4, 1, 4],
    ['2026-W02', 24, 2, 0, null],
  ]);
  assert.deepEqual(r.monthly.map((m) => [m.period, m.unplannedDowntimeHours, m.failures]), [['2026-01', 6, 1]]);
  assert.deepEqual(periods(Date.UTC(2026, 0, 31, 12), Date.UTC(2026, 1, 2), 'month').map((p) => [p.label, (p.end - p.start) / H]), [['2026-01', 12], ['2026-02', 24]]);
  assert.deepEqual(periods(Date.UTC(2025, 11, 31), Date.UTC(2026, 0, 1), 'week').map((p) => p.label), ['2026-W01']);
  assert.deepEqual(periods(Date.UTC(2026, 11, 28), Date.UTC(2026, 11, 29), 'week').map((p) => p.label), ['2026-W53']);
});

test('no failures: MTBF and MTTR are null, availability 100 %; no known time: availability null', () => {
  const up = computeTimeline({ from: at(0), to: at(10), status: [{ ts: at(0), state: 'up' }] });
  const none = computeTimeline({ from: at(0), to: at(10), status: [] });
  const r = buildReport([
    { scannerId: 'up', site: 's', modality: 'us', intervals: up },
    { scannerId: 'none', site: 's', modality: 'us', intervals: none },
  ], { from: at(0), to: at(10), groupBy: 'scanner', top: 5, costPerHourUsd: RATES });
  const byKey = new Map(r.groups.map((g) => [g.key, g]));
  assert.equal(byKey.get('up')?.availabilityPct, 100);
  assert.equal(byKey.get('up')?.mtbfHours, null);
  assert.equal(byKey.get('none')?.availabilityPct, null);
  assert.equal(byKey.get('none')?.unknownHours, 10);
  assert.deepEqual(r.topOffenders, []);
});

test('CSV: one row per group, RFC 4180 quoting, formula-looking text neutralised', () => {
  const h = histories();
  h[0] = { ...h[0] as ScannerHistory, vendor: '=cmd,"x"' };
  const r = buildReport(h, { from: at(0), to: at(40), groupBy: 'scanner', top: 5, costPerHourUsd: RATES });
  const lines = reportCsv(r, 'groups').split('\r\n');
  assert.equal(lines[0], 'scanner,site,modality,vendor,scanners,rangeHours,upHours,degradedHours,unplannedDowntimeHours,plannedDowntimeHours,unknownHours,availabilityPct,dataCoveragePct,failures,mtbfHours,mttrHours,costUsd,plannedCostUsd');
  assert.equal(lines[1], `a-mri-1,central,mri,"'=cmd,""x""",1,40,22,6,2,4,6,93.333,85,1,28,2,3420,6840`);
  assert.equal(lines.length, 4); // header, two rows, trailing empty
  const weekly = reportCsv(r, 'weekly').split('\r\n');
  assert.match(weekly[1] ?? '', /^2026-W02,2026-01-05T00:00:00.000Z,2026-01-06T16:00:00.000Z,2,80,/);
});
