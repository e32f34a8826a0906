// Table-driven authorisation test over EVERY registered route (from the guard's onRoute registry):
// unauthenticated → 401, a role the route does not list → 403, an allowed role → 2xx with a valid example.
// A new route without declared roles, without an example here, or newly public, fails this test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, type Role } from '../../contracts/index.js';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
const cookies = new Map<Role, string>();
let n = 0;

/** Routes allowed to be public; anything else marked public fails. */
const PUBLIC = [/^\/health$/, /^\/api\/auth\/(login|logout|methods)$/, /^\/docs(\/|$)/, /^\/\*?$/,
  // Single sign-on: the redirect to the identity provider and its redirect back (test/server/oidc.test.ts).
  /^\/api\/auth\/oidc\/(login|callback)$/,
  // The single-page app's deep links serve index.html (no data): web/src/app.tsx routes.
  /^\/(login|alerts|pacs|downtime|scanners\/:scannerId)$/];

interface Example { path: string; json?: unknown }
type Maker = () => Promise<Example> | Example;
const admin = (path: string, method: string, json?: unknown) => p.api(path, { method, ...(json !== undefined ? { json } : {}) });

/** One valid request per route, keyed by "METHOD pattern". Writes create what they need first. */
const EXAMPLES: Record<string, Maker> = {
  'GET /metrics': () => ({ path: '/metrics' }),
  'GET /api/me': () => ({ path: '/api/me' }),
  'POST /api/me/password': () => ({ path: '/api/me/password', json: { currentPassword: 'password-for-viewer', newPassword: 'password-for-viewer-2' } }),
  'GET /api/users': () => ({ path: '/api/users?limit=5' }),
  'POST /api/users': () => ({ path: '/api/users', json: { username: `u${++n}`, password: 'long-enough-password', role: 'viewer' } }),
  'PATCH /api/users/:username': async () => {
    const u = `u${++n}`;
    await admin('/api/users', 'POST', { username: u, password: 'long-enough-password', role: 'viewer' });
    return { path: `/api/users/${u}`, json: { role: 'manager' } };
  },
  'DELETE /api/users/:username': async () => {
    const u = `u${++n}`;
    await admin('/api/users', 'POST', { username: u, password: 'long-enough-password', role: 'viewer' });
    return { path: `/api/users/${u}` };
  },
  'GET /api/tokens': () => ({ path: '/api/tokens' }),
  'POST /api/tokens': () => ({ path: '/api/tokens', json: { name: 'grafana', role: 'viewer', scopes: ['read'] } }),
  'DELETE /api/tokens/:id': async () => {
    const t = (await (await admin('/api/tokens', 'POST', { name: 'x', role: 'viewer', scopes: ['read'] })).json()) as { info: { id: string } };
    return { path: `/api/tokens/${t.info.id}` };
  },
  'GET /api/mqtt/devices': () => ({ path: '/api/mqtt/devices' }),
  'POST /api/mqtt/devices': () => ({ path: '/api/mqtt/devices', json: { username: `dev${++n}`, publish: ['gantry/v1/central/mri/x/+'] } }),
  'DELETE /api/mqtt/devices/:username': async () => {
    const d = `dev${++n}`;
    await admin('/api/mqtt/devices', 'POST', { username: d, publish: ['gantry/v1/central/mri/x/+'] });
    return { path: `/api/mqtt/devices/${d}` };
  },
  'GET /api/fleet/sites': () => ({ path: '/api/fleet/sites' }),
  'PUT /api/fleet/sites/:id': () => ({ path: `/api/fleet/sites/s${++n}`, json: { name: 'Site' } }),
  'DELETE /api/fleet/sites/:id': async () => {
    const id = `s${++n}`;
    await admin(`/api/fleet/sites/${id}`, 'PUT', { name: 'Temp' });
    return { path: `/api/fleet/sites/${id}` };
  },
  'GET /api/fleet/scanners': () => ({ path: '/api/fleet/scanners?site=central' }),
  'GET /api/fleet/scanners/:id': () => ({ path: '/api/fleet/scanners/central-mri-1' }),
  'PUT /api/fleet/scanners/:id': () => ({ path: `/api/fleet/scanners/sc${++n}`, json: { site: 'central', modality: 'ct', vendor: 'V', model: 'M', serial: 'S' } }),
  'PATCH /api/fleet/scanners/:id': () => ({ path: '/api/fleet/scanners/central-mri-1', json: { labels: { floor: '2' } } }),
  'DELETE /api/fleet/scanners/:id': async () => {
    const id = `sc${++n}`;
    await admin(`/api/fleet/scanners/${id}`, 'PUT', { site: 'central', modality: 'ct', vendor: 'V', model: 'M', serial: 'S' });
    return { path: `/api/fleet/scanners/${id}` };
  },
  'GET /api/fleet/unregistered': () => ({ path: '/api/fleet/unregistered' }),
  'GET /api/telemetry/latest': () => ({ path: '/api/telemetry/latest' }),
  'GET /api/pacs': () => ({ path: '/api/pacs' }),
  'GET /api/pacs/:pacsId/history': () => ({ path: `/api/pacs/roles-pacs/history?from=${Date.now() - 3_600_000}` }),
  'GET /api/telemetry/series': () => ({ path: `/api/telemetry/series?scanner=central-mri-1&metrics=helium_level_pct&from=${Date.now() - 3_600_000}` }),
  'GET /api/audit': () => ({ path: '/api/audit?limit=10' }),
  'GET /api/alerts': () => ({ path: '/api/alerts?state=open' }),
  'GET /api/alerts/:id': async () => ({ path: `/api/alerts/${encodeURIComponent(await freshAlert())}` }),
  'POST /api/alerts/:id/ack': async () => ({ path: `/api/alerts/${encodeURIComponent(await freshAlert())}/ack`, json: { by: 'ignored', comment: 'on it' } }),
  'GET /api/alerts/silences': () => ({ path: '/api/alerts/silences' }),
  'POST /api/alerts/silences': () => ({ path: '/api/alerts/silences', json: { matchers: [{ name: 'scannerId', value: 'central-mri-1' }], endsAt: Date.now() + 60_000, createdBy: 'test' } }),
  'DELETE /api/alerts/silences/:id': async () => {
    const s = (await (await admin('/api/alerts/silences', 'POST', { matchers: [{ name: 'scannerId', value: 'x' }], endsAt: Date.now() + 60_000, createdBy: 'test' })).json()) as { id: string };
    return { path: `/api/alerts/silences/${s.id}` };
  },
  'GET /api/alerts/maintenance': () => ({ path: '/api/alerts/maintenance' }),
  'POST /api/alerts/maintenance': () => ({ path: '/api/alerts/maintenance', json: { scannerId: 'central-mri-1', cron: '0 6 * * 1', durationMs: 3_600_000, createdBy: 'test' } }),
  'DELETE /api/alerts/maintenance/:id': async () => {
    const w = (await (await admin('/api/alerts/maintenance', 'POST', { scannerId: 'central-mri-2', cron: '0 6 * * 2', durationMs: 3_600_000, createdBy: 'test' })).json()) as { id: string };
    return { path: `/api/alerts/maintenance/${w.id}` };
  },
  'GET /api/alerts/rules': () => ({ path: '/api/alerts/rules' }),
  'PUT /api/alerts/rules/:id': async () => {
    const { rules } = (await (await admin('/api/alerts/rules', 'GET')).json()) as { rules: { rule: { id: string } }[] };
    const rule = rules.find((r) => r.rule.id === 'mri-helium-low')?.rule;
    return { path: '/api/alerts/rules/mri-helium-low', json: rule };
  },
  'GET /api/dead-letters': () => ({ path: '/api/dead-letters?limit=5' }),
  'POST /api/telemetry/rollup': () => ({ path: '/api/telemetry/rollup', json: { from: Date.now() - 7_200_000, to: Date.now() } }),
  'GET /api/downtime': () => ({ path: '/api/downtime?groupBy=site' }),
  'GET /api/downtime/csv': () => ({ path: '/api/downtime/csv?groupBy=site' }),
  'GET /api/downtime/timeline': () => ({ path: '/api/downtime/timeline?scannerId=central-mri-1' }),
  'GET /api/models/anomaly-series': () => ({ path: `/api/models/anomaly-series?scanner=central-mri-1&from=${Date.now() - 3_600_000}` }),
  'GET /api/models/predictions': () => ({ path: '/api/models/predictions?scanner=central-mri-1' }),
  'GET /api/whatif/model': () => ({ path: '/api/whatif/model?site=central' }),
  'POST /api/whatif': () => ({ path: '/api/whatif', json: { site: 'central', scenario: { kind: 'add-radiologist', count: 1 }, replications: 2, days: 1, warmupDays: 0 } }),
};

/** Raises a new alert through the engine's real input (a reading on the bus) and returns its id. */
async function freshAlert(): Promise<string> {
  const scannerId = `ex-mri-${++n}`;
  p.bus.emit('telemetry', { site: 'central', modality: 'mri', scannerId, ts: Date.now(), metrics: { helium_level_pct: 40 } });
  const id = `mri-helium-low:${scannerId}`;
  await eventually(`alert ${id}`, async () => (await admin(`/api/alerts/${encodeURIComponent(id)}`, 'GET')).status, (s) => s === 200);
  return id;
}

const samplePath = (url: string) => url.replace(/:username/g, 'nobody').replace(/:id/g, 'x1').replace(/\*/g, '');

before(async () => {
  // One PACS target (nothing listens on its port; one echo, then a long pause), so PACS history has a subject.
  p = await startTestPlatform({ 'pacs.targets': [{ id: 'roles-pacs', site: 'central', host: '127.0.0.1', port: 9, calledAet: 'NONE', echo: { intervalMs: 3_600_000, timeoutMs: 1000 }, find: { enabled: false }, retrieve: { enabled: false } }] });
  cookies.set('admin', p.adminCookie);
  // One status record, so the downtime timeline and the what-if model of site central have data.
  const s = p.influx.settings;
  await fetch(`${s.url}/write?db=${s.database}&rp=${s.retentionPolicy}&precision=ms`, {
    method: 'POST', body: `scanner_status,site=central,modality=mri,scanner=central-mri-1 state="up",state_code=0i,reason="" ${Date.now() - 3_600_000}`,
  });
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const res = await admin('/api/users', 'POST', { username: role, password: `password-for-${role}`, role, mustChangePassword: false });
    assert.equal(res.status, 201, await res.text());
    cookies.set(role, await p.login(role, `password-for-${role}`));
  }
  await admin('/api/fleet/sites/central', 'PUT', { name: 'Central' });
  await admin('/api/fleet/scanners/central-mri-1', 'PUT', { site: 'central', modality: 'mri', vendor: 'Siemens', model: 'Aera', serial: 'A1' });
});
after(async () => { await p?.close(); });

describe('every route declares who may call it', () => {
  test('the route table is complete: roles or an allowed public flag, and an example for each protected route', () => {
    const problems: string[] = [];
    for (const r of p.http.routes) {
      const cfg = r.options.config ?? {};
      if (cfg.public) {
        if (!PUBLIC.some((re) => re.test(r.url))) problems.push(`${r.method} ${r.url} is public but not in the allowed public list`);
        continue;
      }
      if (!cfg.roles || cfg.roles.length === 0) problems.push(`${r.method} ${r.url} declares no config.roles`);
      const key = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
      if (!EXAMPLES[key]) problems.push(`${key} has no example request in test/server/route-roles.test.ts`);
    }
    assert.deepEqual(problems, []);
    assert.ok(p.http.routes.length > 20, `only ${p.http.routes.length} routes seen`);
  });

  test('401 without credentials, 403 for other roles, 2xx for an allowed role', async () => {
    const failures: string[] = [];
    for (const r of p.http.routes) {
      const cfg = r.options.config ?? {};
      if (cfg.public || !cfg.roles) continue;
      const path = samplePath(r.url);
      const anon = await p.api(path, { method: r.method, cookie: '' });
      if (anon.status !== 401) failures.push(`${r.method} ${r.url} anonymous → ${anon.status}`);
      const denied = ROLES.find((role) => !cfg.roles?.includes(role));
      if (denied) {
        const res = await p.api(path, { method: r.method, cookie: cookies.get(denied) as string });
        if (res.status !== 403) failures.push(`${r.method} ${r.url} as ${denied} → ${res.status}`);
      }
      const allowed = cfg.roles[cfg.roles.length - 1] as Role;
      const ex = await (EXAMPLES[`${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`] as Maker)();
      const ok = await p.api(ex.path, { method: r.method, cookie: cookies.get(allowed) as string, ...(ex.json !== undefined ? { json: ex.json } : {}) });
      if (ok.status < 200 || ok.status > 299) failures.push(`${r.method} ${r.url} as ${allowed} → ${ok.status} ${await ok.text()}`);
    }
    assert.deepEqual(failures, []);
  });

  test('API tokens need the scope of the call as well as the role', async () => {
    const make = async (scopes: string[], role = 'viewer') =>
      ((await (await admin('/api/tokens', 'POST', { name: 't', role, scopes })).json()) as { token: string }).token;
    const metricsOnly = await make(['metrics']);
    const readOnly = await make(['read']);
    const adminRead = await make(['read'], 'admin');
    const h = (t: string) => ({ authorization: `Bearer ${t}` });
    assert.equal((await p.api('/metrics', { headers: h(metricsOnly) })).status, 200);
    assert.equal((await p.api('/api/me', { headers: h(metricsOnly) })).status, 403);
    assert.equal((await p.api('/metrics', { headers: h(readOnly) })).status, 403);
    assert.equal((await p.api('/api/me', { headers: h(readOnly) })).status, 200);
    assert.equal((await p.api('/api/fleet/sites/t1', { method: 'PUT', headers: h(adminRead), json: { name: 'T' } })).status, 403);
    assert.equal((await p.api('/api/me', { headers: h('gnt_000000000000_notavalidtokennotavalidtokennotavalidtokenxx') })).status, 401);
  });
});
