// Site scope over every route, table-driven: a north-only biomed engineer and a north-only manager call each
// route that takes or returns site-bound data, with data of site south present. Nothing of south may come
// back, and nothing they send may reach south. Every protected route must be either in the table or in the
// list of routes without site-bound data, so a new route cannot skip this check. Bodies still carry the
// `createdBy` / `by` that older clients send (now ignored), so the same requests show the faults on old code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { Alert } from '../../contracts/index.js';
import type { Silence, MaintenanceWindow } from '../../contracts/alert-silences.js';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
let biomed = '';
let manager = '';
const NORTH = 'mri-helium-low:north-mri-1';
const SOUTH = 'mri-helium-low:south-mri-1';
let southSilence = '';
let southWindow = '';

/** Routes with no site-bound data (identity, administration, rules, metrics): role checks cover them. */
const NOT_SITE_BOUND = new Set([
  'GET /metrics', 'GET /api/me', 'POST /api/me/password', 'GET /api/users', 'POST /api/users', 'PATCH /api/users/:username',
  'DELETE /api/users/:username', 'GET /api/tokens', 'POST /api/tokens', 'DELETE /api/tokens/:id', 'GET /api/mqtt/devices',
  'POST /api/mqtt/devices', 'DELETE /api/mqtt/devices/:username', 'PUT /api/fleet/sites/:id', 'DELETE /api/fleet/sites/:id',
  'PUT /api/fleet/scanners/:id', 'PATCH /api/fleet/scanners/:id', 'DELETE /api/fleet/scanners/:id', 'GET /api/audit',
  'GET /api/alerts/rules', 'PUT /api/alerts/rules/:id', 'POST /api/telemetry/rollup',
]);

/**
 * Site-scoped routes whose scope is proven against live data in their own domain's test, where that data
 * exists (a PACS needs the simulated PACS): the file named must check that another site's caller sees nothing.
 */
const SCOPED_ELSEWHERE: Record<string, string> = {
  'GET /api/pacs': 'test/pacs/simulator.test.ts',
  'GET /api/pacs/:pacsId/history': 'test/pacs/simulator.test.ts',
};

const as = (cookie: string, path: string, method = 'GET', json?: unknown) => p.api(path, { method, cookie, ...(json !== undefined ? { json } : {}) });
const adminGet = async <T>(path: string): Promise<T> => (await p.api(path)).json() as Promise<T>;
const hour = Date.now() - 3_600_000;

/** Answers 2xx and never mentions site south. */
async function noSouth(res: Response): Promise<void> {
  const text = await res.text();
  assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}: ${text}`);
  assert.ok(!text.includes('south'), `south leaked: ${text.slice(0, 300)}`);
}
const status = async (res: Response, want: number) => assert.equal(res.status, want, await res.text());

/** One case per route: what the north-only caller does and what must hold. */
const TABLE: Record<string, () => Promise<void>> = {
  'GET /api/alerts': async () => {
    const res = await as(biomed, '/api/alerts');
    const ids = ((await res.clone().json()) as Alert[]).map((a) => a.id);
    assert.ok(ids.includes(NORTH), 'the north alert is listed');
    await noSouth(res);
    await noSouth(await as(biomed, '/api/alerts?site=south'));
  },
  'GET /api/alerts/:id': async () => {
    await status(await as(biomed, `/api/alerts/${encodeURIComponent(SOUTH)}`), 404);
    await status(await as(biomed, `/api/alerts/${encodeURIComponent(NORTH)}`), 200);
  },
  'POST /api/alerts/:id/ack': async () => {
    await status(await as(biomed, `/api/alerts/${encodeURIComponent(SOUTH)}/ack`, 'POST', { by: 'north-biomed', comment: 'mine now' }), 404);
    assert.equal((await adminGet<{ alert: Alert }>(`/api/alerts/${encodeURIComponent(SOUTH)}`)).alert.state, 'firing');
    const acked = (await (await as(biomed, `/api/alerts/${encodeURIComponent(NORTH)}/ack`, 'POST', { by: 'admin' })).json()) as Alert;
    assert.equal(acked.ackedBy, 'north-biomed', 'the body cannot name who acknowledged');
  },
  'GET /api/alerts/silences': async () => {
    const ids = ((await (await as(biomed, '/api/alerts/silences')).json()) as Silence[]).map((s) => s.id);
    assert.ok(!ids.includes(southSilence), 'the admin\'s south silence is listed');
  },
  'POST /api/alerts/silences': async () => {
    await status(await as(biomed, '/api/alerts/silences', 'POST', { matchers: [{ name: 'site', value: 'south' }], endsAt: Date.now() + 60_000, createdBy: 'north-biomed' }), 403);
    const res = await as(biomed, '/api/alerts/silences', 'POST', { matchers: [{ name: 'site', value: '.*', regex: true }], endsAt: Date.now() + 60_000, createdBy: 'admin' });
    const s = (await res.json()) as Silence;
    assert.equal(res.status, 201);
    assert.equal(s.createdBy, 'north-biomed');
    assert.deepEqual(s.sites, ['north']);
    assert.equal((await adminGet<{ alert: Alert }>(`/api/alerts/${encodeURIComponent(SOUTH)}`)).alert.silenced, false, '`site =~ .*` silenced south');
    assert.equal((await adminGet<{ alert: Alert }>(`/api/alerts/${encodeURIComponent(NORTH)}`)).alert.silenced, true);
    assert.ok(((await (await as(biomed, '/api/alerts/silences')).json()) as Silence[]).some((x) => x.id === s.id), 'own silence listed');
  },
  'DELETE /api/alerts/silences/:id': async () => {
    await status(await as(biomed, `/api/alerts/silences/${southSilence}`, 'DELETE'), 404);
    assert.ok((await adminGet<Silence[]>('/api/alerts/silences')).some((s) => s.id === southSilence));
  },
  'GET /api/alerts/maintenance': async () => noSouth(await as(biomed, '/api/alerts/maintenance')),
  'POST /api/alerts/maintenance': async () => {
    const w = { cron: '0 6 * * 1', durationMs: 3_600_000, createdBy: 'north-biomed' };
    await status(await as(biomed, '/api/alerts/maintenance', 'POST', { ...w, scannerId: 'south-mri-1' }), 404);
    await status(await as(biomed, '/api/alerts/maintenance', 'POST', { ...w, site: 'south' }), 403);
    const res = await as(biomed, '/api/alerts/maintenance', 'POST', { ...w, createdBy: 'admin', scannerId: 'north-mri-1' });
    assert.equal(res.status, 201);
    assert.deepEqual((({ site, createdBy }) => ({ site, createdBy }))((await res.json()) as MaintenanceWindow), { site: 'north', createdBy: 'north-biomed' });
  },
  'DELETE /api/alerts/maintenance/:id': async () => {
    await status(await as(biomed, `/api/alerts/maintenance/${southWindow}`, 'DELETE'), 404);
    assert.ok((await adminGet<MaintenanceWindow[]>('/api/alerts/maintenance')).some((w) => w.id === southWindow));
  },
  'GET /api/fleet/sites': async () => noSouth(await as(biomed, '/api/fleet/sites')),
  'GET /api/fleet/scanners': async () => noSouth(await as(biomed, '/api/fleet/scanners')),
  'GET /api/fleet/scanners/:id': async () => status(await as(biomed, '/api/fleet/scanners/south-mri-1'), 404),
  'GET /api/fleet/unregistered': async () => noSouth(await as(biomed, '/api/fleet/unregistered')),
  'GET /api/telemetry/latest': async () => noSouth(await as(biomed, '/api/telemetry/latest')),
  'GET /api/telemetry/series': async () => status(await as(biomed, `/api/telemetry/series?scanner=south-mri-1&metrics=helium_level_pct&from=${hour}`), 404),
  'GET /api/models/anomaly-series': async () => status(await as(biomed, `/api/models/anomaly-series?scanner=south-mri-1&from=${hour}`), 404),
  'GET /api/models/predictions': async () => status(await as(biomed, '/api/models/predictions?scanner=south-mri-1'), 404),
  'GET /api/downtime': async () => {
    const res = await as(manager, '/api/downtime?groupBy=scanner');
    assert.match(await res.clone().text(), /north-mri-1/);
    await noSouth(res);
  },
  'GET /api/downtime/csv': async () => noSouth(await as(manager, '/api/downtime/csv?groupBy=scanner')),
  'GET /api/downtime/timeline': async () => status(await as(manager, '/api/downtime/timeline?scannerId=south-mri-1'), 404),
  'GET /api/whatif/model': async () => status(await as(manager, '/api/whatif/model?site=south'), 404),
  'POST /api/whatif': async () => status(await as(manager, '/api/whatif', 'POST', { site: 'south', scenario: { kind: 'add-radiologist', count: 1 }, replications: 2, days: 1, warmupDays: 0 }), 404),
  'GET /api/dead-letters': async () => {
    const res = await as(biomed, '/api/dead-letters');
    assert.equal(((await res.clone().json()) as { total: number }).total, 1, 'the north dead letter is listed');
    await noSouth(res);
  },
};

before(async () => {
  p = await startTestPlatform({ 'alerts.catalogForMs': 0, 'models.enabled': false });
  for (const site of ['north', 'south']) {
    await p.api(`/api/fleet/sites/${site}`, { method: 'PUT', json: { name: site } });
    await p.api(`/api/fleet/scanners/${site}-mri-1`, { method: 'PUT', json: { site, modality: 'mri', vendor: 'Siemens', model: 'Aera', serial: `${site}1` } });
  }
  const s = p.influx.settings;
  await fetch(`${s.url}/write?db=${s.database}&rp=${s.retentionPolicy}&precision=ms`, {
    method: 'POST', body: ['north', 'south'].map((x) => `scanner_status,site=${x},modality=mri,scanner=${x}-mri-1 state="up",state_code=0i,reason="" ${hour}`).join('\n'),
  });
  const c = await mqtt.connectAsync(p.mqttUrl);
  for (const site of ['north', 'south']) {
    p.bus.emit('telemetry', { site, modality: 'mri', scannerId: `${site}-mri-1`, ts: Date.now(), metrics: { helium_level_pct: 40 } });
    await c.publishAsync(`gantry/v1/${site}/mri/${site}-mri-1/telemetry`, 'not json', { qos: 1 });
  }
  await c.endAsync();
  await eventually('both alerts firing', async () => [p.alerting.get(NORTH)?.state, p.alerting.get(SOUTH)?.state], (s) => s.every((x) => x === 'firing'));
  await eventually('both dead letters', async () => (await p.api('/api/dead-letters')).text(), (t) => (t.match(/"reason":/g) ?? []).length === 2);
  // A south silence that silences nothing, so the south alert's flag shows what the north user's silence does.
  southSilence = ((await (await p.api('/api/alerts/silences', { method: 'POST', json: { matchers: [{ name: 'site', value: 'south' }, { name: 'ruleId', value: 'no-such-rule' }], endsAt: Date.now() + 600_000, createdBy: 'admin' } })).json()) as Silence).id;
  southWindow = ((await (await p.api('/api/alerts/maintenance', { method: 'POST', json: { scannerId: 'south-mri-1', cron: '0 6 * * 2', durationMs: 60_000, createdBy: 'admin' } })).json()) as MaintenanceWindow).id;
  for (const [name, role] of [['north-biomed', 'biomed'], ['north-manager', 'manager']]) {
    await p.api('/api/users', { method: 'POST', json: { username: name, password: `${name}-password`, role, sites: ['north'], mustChangePassword: false } });
  }
  biomed = await p.login('north-biomed', 'north-biomed-password');
  manager = await p.login('north-manager', 'north-manager-password');
});
after(async () => { await p?.close(); });

test('every protected route is in the site-scope table or declared free of site-bound data', () => {
  const missing = p.http.routes.filter((r) => !r.options.config?.public && r.method !== 'HEAD')
    .map((r) => `${r.method} ${r.url}`).filter((k) => !TABLE[k] && !NOT_SITE_BOUND.has(k) && !SCOPED_ELSEWHERE[k]);
  assert.deepEqual(missing, []);
  for (const [route, file] of Object.entries(SCOPED_ELSEWHERE)) {
    const path = route.split(' ')[1]?.replace(':pacsId', 'sim-pacs').split('/').slice(0, 3).join('/') ?? '';
    assert.ok(readFileSync(file, 'utf8').includes(path), `${file} exercises ${route}`);
  }
});

test('a north-only caller gets nothing of site south and cannot act on it, on every route', async () => {
  const failures: string[] = [];
  for (const [route, check] of Object.entries(TABLE)) {
    try { await check(); } catch (err) { failures.push(`${route}: ${(err as Error).message}`); }
  }
  assert.deepEqual(failures, []);
});
