// Downtime and what-if through the real API over a private InfluxDB seeded with line protocol in the schema
// ingestion writes (scanner_status, scanner_event): the figures must equal the hand-computed ones, also after
// a late status message arrives.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Registry } from 'prom-client';
import type { Alert } from '../../contracts/alerts.js';
import type { DowntimeReport, ScannerTimeline } from '../../contracts/downtime.js';
import type { SiteModel, WhatIfResult } from '../../contracts/whatif.js';
import { buildApp, type GantryApp } from '../../server/app.js';
import { loadConfig } from '../../server/config/load.js';
import { createAnalytics } from '../../server/downtime/analytics.js';
import { InfluxStatusSource } from '../../server/downtime/influx-status-source.js';
import { EventBus } from '../../lib/event-bus.js';
import { createLogger } from '../../lib/logger.js';
import { startPrivateInfluxd, type PrivateInfluxd } from '../../server/services/private-influxd.js';
import { InfluxStore } from '../../server/storage/influx.js';
import { startAccess, type Access } from '../../server/auth/access.js';
import { TEST_ADMIN_PASSWORD, tempDir } from '../support/platform.js';
import { at, H, scannerA, scannerB } from './fixtures.js';

let influxd: PrivateInfluxd;
let dir: string;
let http: GantryApp;
let access: Access;
let cookie = '';
let influx: InfluxStore;
const DAY = 24 * H;

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
function statusLine(tags: string, ts: number, state: string, reason = ''): string {
  return `scanner_status,${tags} state="${state}",state_code=0i,reason="${esc(reason)}" ${ts}`;
}
/** alert_event points of a nodata rule: pending, firing and resolved per episode, plus one that never fired. */
function noDataEvents(scannerId: string, site: string, episodes: readonly { start: number; end: number }[]): string[] {
  const lines: string[] = [];
  const point = (alert: Alert, ts: number) => `alert_event,alert_id=${alert.id},rule_id=${alert.ruleId},site=${site},scanner_id=${scannerId},state=${alert.state},event=test severity="warning",value=0,json="${esc(JSON.stringify(alert))}" ${ts}`;
  const base: Alert = { id: `nodata:${scannerId}`, ruleId: 'nodata', kind: 'nodata', site, modality: 'mri', scannerId, metric: '*', severity: 'warning', state: 'pending', value: 0, threshold: 0, message: 'no data', startsAt: 0 };
  for (const e of episodes) {
    lines.push(point({ ...base, startsAt: e.start }, e.start + 1), point({ ...base, state: 'firing', startsAt: e.start, firedAt: e.start + 60_000 }, e.start + 60_000));
    lines.push(point({ ...base, state: 'resolved', startsAt: e.start, endsAt: e.end }, e.end + 5));
  }
  const last = episodes[episodes.length - 1];
  if (last) lines.push(point({ ...base, startsAt: last.end + H }, last.end + H + 1), point({ ...base, state: 'resolved', startsAt: last.end + H, endsAt: last.end + 2 * H }, last.end + 2 * H));
  return lines;
}

async function write(lines: string[]): Promise<void> {
  const res = await fetch(`${influxd.url}/write?db=gantry_test&precision=ms`, { method: 'POST', body: lines.join('\n') });
  assert.equal(res.status, 204, await res.text());
}

before(async () => {
  dir = tempDir('downtime');
  influxd = await startPrivateInfluxd({ dataDir: dir });
  // The fixtures lie in January 2026: keep the database's default (infinite) retention so they are kept.
  influx = new InfluxStore({ url: influxd.url, database: 'gantry_test', retentionPolicy: 'autogen' });
  await influx.query('CREATE DATABASE gantry_test', '');
  const A = 'site=central,modality=mri,scanner=a-mri-1,vendor=acme';
  const B = 'site=riverside,modality=ct,scanner=b-ct-1';
  // Out of order on purpose, in two writes.
  const linesA = scannerA.status.map((r) => statusLine(A, r.ts, r.state, r.reason));
  const linesB = scannerB.status.map((r) => statusLine(B, r.ts, r.state, r.reason)).reverse();
  await write([...linesB.slice(0, 3), ...linesA.slice(2)]);
  await write([...linesA.slice(0, 2), ...linesB.slice(3)]);
  // Exam events for the what-if fit: ten days before at(40), one 30-minute MRI exam an hour from 08:00 to 17:00 UTC.
  const exams: string[] = [];
  const lastMidnight = Date.UTC(2026, 0, 6);
  for (let d = 1; d <= 10; d++) {
    for (let h = 8; h < 18; h++) {
      const start = lastMidnight - d * DAY + h * H;
      exams.push(`scanner_event,site=central,modality=mri,scanner=a-mri-1,type=exam_start code="",exam_type="",detail="" ${start}`);
      exams.push(`scanner_event,site=central,modality=mri,scanner=a-mri-1,type=exam_end code="",exam_type="",detail="" ${start + 0.5 * H}`);
    }
  }
  await write(exams);

  const config = loadConfig({}, { 'log.level': 'silent', 'whatif.fitDays': 11, 'whatif.radiologists': 2, 'auth.initialAdminPassword': TEST_ADMIN_PASSWORD });
  access = await startAccess(config, dir);
  // No-data episodes come from stored alert events as the alert engine writes them; maintenance from a
  // window definition as the engine holds it (scanner A only, as in the fixtures).
  await write([...noDataEvents('a-mri-1', 'central', scannerA.noData), ...noDataEvents('b-ct-1', 'riverside', scannerB.noData)]);
  const analytics = createAnalytics(config, influx, {
    now: () => at(40),
    windows: () => [{ id: 'pm', scannerId: 'a-mri-1', startsAt: at(12), durationMs: 4 * H, comment: 'planned PM', createdBy: 'admin' }],
  });
  http = await buildApp({
    config, log: createLogger(process.env.GANTRY_TEST_LOG ?? 'silent'), bus: new EventBus(), registry: new Registry(),
    health: async () => ({ status: 'ok', uptimeSeconds: 0, checks: { influxdb: { ok: true }, mqtt: { ok: true } } }), telemetrySnapshot: () => [], alertsSnapshot: () => [], analytics,
    auth: access.auth, audit: access.audit, fleet: access.fleet, influx, mqttDevices: undefined,
  });
  const login = await http.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
  cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
});

after(async () => {
  await http?.app.close();
  await access?.stop();
  await influxd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function get<T>(url: string): Promise<{ status: number; body: T; type: string | undefined; raw: string }> {
  const res = await http.app.inject({ method: 'GET', url, headers: { cookie } });
  const type = res.headers['content-type'] as string | undefined;
  return { status: res.statusCode, body: (type?.startsWith('application/json') ? res.json() : undefined) as T, type, raw: res.body };
}

test('report by scanner from InfluxDB equals the hand-computed figures (status before the range found, order irrelevant)', async () => {
  const r = await get<DowntimeReport>(`/api/downtime?from=${at(0)}&to=${at(40)}&groupBy=scanner`);
  assert.equal(r.status, 200, r.raw);
  const [a, b] = r.body.groups;
  assert.deepEqual([a?.key, a?.vendor, a?.availabilityPct, a?.failures, a?.mtbfHours, a?.mttrHours, a?.costUsd, a?.plannedDowntimeHours],
    ['a-mri-1', 'acme', 93.333, 1, 28, 2, 3420, 4]);
  assert.deepEqual([b?.key, b?.vendor, b?.unplannedDowntimeHours, b?.failures, b?.mttrHours, b?.mtbfHours, b?.availabilityPct],
    ['b-ct-1', 'unknown', 17, 2, 7, 10, 54.054]);
  assert.deepEqual(r.body.topOffenders.map((o) => o.key), ['b-ct-1', 'a-mri-1']);
  assert.equal(r.body.total.costUsd, 23820);
  // Reading from a named retention policy finds the same history (B: six in range plus the one before it).
  const named = await new InfluxStatusSource(influx.query.bind(influx), 30 * DAY, 'autogen').statusHistory({ from: at(0), to: at(40) });
  assert.deepEqual(named.map((h) => [h.scannerId, h.records.length]), [['a-mri-1', 5], ['b-ct-1', 7]]);
  const iso = await get<DowntimeReport>(`/api/downtime?from=${new Date(at(0)).toISOString()}&to=${new Date(at(40)).toISOString()}&groupBy=vendor&vendor=acme`);
  assert.deepEqual(iso.body.groups.map((g) => [g.key, g.scanners]), [['acme', 1]]);
});

test('timeline, CSV and errors', async () => {
  const t = await get<ScannerTimeline>(`/api/downtime/timeline?scannerId=b-ct-1&from=${at(0)}&to=${at(16)}`);
  assert.equal(t.status, 200, t.raw);
  assert.deepEqual(t.body.intervals.map((i) => [(i.start - at(0)) / H, (i.end - at(0)) / H, i.state]),
    [[0, 3, 'down'], [3, 8, 'up'], [8, 10, 'down'], [10, 13, 'unknown'], [13, 15, 'down'], [15, 16, 'up']]);
  assert.equal(t.body.intervals[0]?.reason, 'tube arc');
  const csv = await get<unknown>(`/api/downtime/csv?from=${at(0)}&to=${at(40)}&groupBy=site&section=groups`);
  assert.equal(csv.status, 200);
  assert.match(csv.type ?? '', /^text\/csv/);
  assert.match(csv.raw, /^site,site,modality,vendor,scanners,/);
  assert.match(csv.raw, /\r\nriverside,riverside,ct,,1,40,20,0,17,0,3,54.054,92.5,2,10,7,20400,0\r\n$/);
  assert.equal((await get(`/api/downtime/timeline?scannerId=nope&from=${at(0)}&to=${at(40)}`)).status, 404);
  assert.equal((await get(`/api/downtime?from=${at(40)}&to=${at(0)}`)).status, 400);
  const bad = await get<{ statusCode: number; message: string }>('/api/downtime?groupBy=planet');
  assert.equal(bad.status, 400);
});

test('a late status message changes the report the next time it is asked for', async () => {
  await write([statusLine('site=central,modality=mri,scanner=a-mri-1,vendor=acme', at(35), 'down', 'late report')]);
  const r = await get<DowntimeReport>(`/api/downtime?from=${at(0)}&to=${at(40)}&scannerId=a-mri-1`);
  const a = r.body.groups[0];
  assert.deepEqual([a?.unplannedDowntimeHours, a?.failures, a?.mttrHours, a?.upHours], [7, 2, 3.5, 17]);
});

test('what-if over the stored site: fitted arrivals and durations, measured availability, a scenario with CIs', async () => {
  const m = await get<SiteModel>('/api/whatif/model?site=central');
  assert.equal(m.status, 200, m.raw);
  const mri = m.body.modalities[0];
  assert.equal(mri?.modality, 'mri');
  assert.deepEqual(mri?.arrivalsPerHour.map((x) => Math.round(x * 100) / 100), [...new Array(8).fill(0), ...new Array(10).fill(1), ...new Array(6).fill(0)]);
  assert.deepEqual(mri?.exam, { meanMinutes: 30, cv: 0, distribution: 'lognormal' });
  assert.match(m.body.provenance?.['mri.arrivals'] ?? '', /fitted from 100 exam starts/);
  // Availability over the 90 days before at(40): 28 operating hours of 30 known (the late "down" at 35 makes it 23 of 30).
  assert.equal(Math.round((mri?.scanners[0]?.availability ?? 0) * 1000) / 1000, 0.767);
  const res = await http.app.inject({ method: 'POST', url: '/api/whatif', headers: { cookie }, payload: { site: 'central', scenario: { kind: 'add-scanner', modality: 'mri' }, replications: 4, days: 7, warmupDays: 1 } });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as WhatIfResult;
  const wait = body.metrics.find((x) => x.name === 'wait_mean' && x.scope === 'mri');
  assert.ok(wait && (wait.difference.mean ?? 0) < 0, JSON.stringify(wait));
  const unknown = await http.app.inject({ method: 'POST', url: '/api/whatif', headers: { cookie }, payload: { site: 'central', scenario: { kind: 'scanner-down', scannerId: 'zz', days: 2 } } });
  assert.equal(unknown.statusCode, 400, unknown.body);
  assert.equal((await http.app.inject({ method: 'POST', url: '/api/whatif', headers: { cookie }, payload: { site: 'nowhere', scenario: { kind: 'add-radiologist', count: 1 } } })).statusCode, 404);
});
