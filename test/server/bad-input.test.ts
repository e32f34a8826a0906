// Bad input on every route → 400 with the one error body; oversize bodies → 413; fuzzed query strings
// never produce a 5xx.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { ErrorBody } from '../../contracts/index.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => { p = await startTestPlatform({ 'http.bodyLimitBytes': 4096, 'http.rateLimitPerMinute': 100000 }); });
after(async () => { await p?.close(); });

async function expectError(res: Response, status: number, what: string): Promise<void> {
  const body: unknown = await res.json();
  assert.equal(res.status, status, `${what}: ${JSON.stringify(body)}`);
  assert.ok(Value.Check(ErrorBody, body), `${what}: not the error shape: ${JSON.stringify(body)}`);
}

const BAD: [string, string, unknown?][] = [
  ['POST', '/api/auth/login', { username: 'admin' }],
  ['POST', '/api/me/password', { currentPassword: 'x', newPassword: 'short' }],
  ['GET', '/api/users?limit=0'],
  ['POST', '/api/users', { username: 'Bad Name', password: 'long-enough-password', role: 'viewer' }],
  ['PATCH', '/api/users/admin', { role: 'superuser' }],
  ['DELETE', '/api/users/NOT_A_NAME'],
  ['GET', '/api/tokens?offset=-1'],
  ['POST', '/api/tokens', { name: 'x', role: 'viewer', scopes: ['everything'] }],
  ['DELETE', '/api/tokens/zz'],
  ['GET', '/api/mqtt/devices?limit=abc'],
  ['POST', '/api/mqtt/devices', { username: 'd1', publish: ['other/topic'] }],
  ['DELETE', '/api/mqtt/devices/Bad!'],
  ['GET', '/api/fleet/sites?limit=100000'],
  ['PUT', '/api/fleet/sites/BAD', { name: 'x' }],
  ['DELETE', '/api/fleet/sites/-x'],
  ['GET', '/api/fleet/scanners?modality=mri2'],
  ['GET', '/api/fleet/scanners/UPPER'],
  ['PUT', '/api/fleet/scanners/s1', { site: 'central', modality: 'mri' }],
  ['PATCH', '/api/fleet/scanners/s1', {}],
  ['DELETE', '/api/fleet/scanners/a b'],
  ['GET', '/api/fleet/unregistered?unknown=1'],
  ['GET', '/api/telemetry/latest?site=Central'],
  ['GET', '/api/telemetry/series?scanner=s1&metrics=Helium&from=0'],
  ['GET', '/api/audit?from=yesterday'],
  ['GET', '/api/dead-letters?limit=0'],
  ['POST', '/api/telemetry/rollup', { from: 'last week', to: 0 }],
  ['GET', '/api/downtime?groupBy=planet'],
  ['GET', '/api/downtime/csv?site=Not_A_Slug!'],
  ['GET', '/api/downtime/timeline'],
  ['GET', '/api/models/anomaly-series?scanner=s1&from=yesterday'],
  ['GET', '/api/models/predictions?scanner=S1!'],
  ['GET', '/api/whatif/model?site=BAD'],
  ['POST', '/api/whatif', { site: 'central', scenario: { kind: 'teleport' } }],
  ['GET', '/api/alerts?severity=loud'],
  ['POST', '/api/alerts/some-alert/ack', { comment: 'x', assignee: 'someone' }],
  ['POST', '/api/alerts/silences', { matchers: [], endsAt: 'soon', createdBy: 'x' }],
  ['POST', '/api/alerts/maintenance', { durationMs: 0, createdBy: 'x' }],
  ['PUT', '/api/alerts/rules/mri-helium-low', ['not', 'a', 'rule']],
  ['GET', '/api/pacs/sim-pacs/history?from=yesterday'],
];

/** Routes that take no input at all (nothing to get wrong). */
const NO_INPUT = new Set(['/metrics', '/api/me', '/api/auth/logout', '/api/alerts/silences', '/api/alerts/maintenance', '/api/alerts/rules', '/api/pacs']);
/** Routes whose only input is a free-form id: an unknown one is a 404 (tested with each domain). */
const ID_ONLY = new Set(['GET /api/alerts/:id', 'DELETE /api/alerts/silences/:id', 'DELETE /api/alerts/maintenance/:id']);

test('bad input on every protected route answers 400 with the error body', async () => {
  for (const r of p.http.routes) {
    if (r.options.config?.public && r.url !== '/api/auth/login') continue;
    if (r.method === 'HEAD' || (r.method === 'GET' && NO_INPUT.has(r.url)) || ID_ONLY.has(`${r.method} ${r.url}`) || r.url === '/api/me' || r.url === '/api/auth/logout') continue;
    const re = new RegExp(`^${r.url.replace(/:[a-zA-Z]+/g, '[^/]+')}$`);
    assert.ok(BAD.some(([m, u]) => m === r.method && re.test(u.split('?')[0] as string)), `no bad-input case for ${r.method} ${r.url}`);
  }
  for (const [method, path, json] of BAD) {
    await expectError(await p.api(path, { method, ...(json !== undefined ? { json } : {}) }), 400, `${method} ${path}`);
  }
});

test('single sign-on routes answer 404 with the error body when no issuer is configured', async () => {
  for (const path of ['/api/auth/oidc/login', '/api/auth/oidc/callback?code=%ZZ&state=', '/api/auth/oidc/callback']) {
    await expectError(await p.api(path, { cookie: '', redirect: 'manual' }), 404, `GET ${path}`);
  }
});

test('a series range that ends before it starts is a 400', async () => {
  await expectError(await p.api(`/api/telemetry/series?scanner=s1&metrics=helium_level_pct&from=${Date.now()}&to=${Date.now() - 1000}`), 400, 'reversed range');
});

test('oversize bodies are refused with 413 and the error body', async () => {
  const res = await p.api('/api/fleet/sites/big', { method: 'PUT', json: { name: 'x'.repeat(10_000) } });
  await expectError(res, 413, 'oversize');
});

test('malformed JSON is a 400 with the error body', async () => {
  const res = await p.api('/api/fleet/sites/x', { method: 'PUT', body: '{"name": ', headers: { 'content-type': 'application/json' } });
  await expectError(res, 400, 'malformed JSON');
});

test('fuzzed query strings never produce a 5xx', async () => {
  let seed = 42;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const pieces = ['scanner', 'metrics', 'from', 'to', 'step', 'maxPoints', 'limit', 'offset', 'site', 'modality', 'actor', 'action', '%00', '%ZZ', '[]', '__proto__', 'constructor', '🙂', "'", '"', ';DROP', '1e309', '-1', '9'.repeat(40), '2024-02-30T00:00:00Z', ''];
  const pick = () => pieces[Math.floor(rnd() * pieces.length)] as string;
  const gets = p.http.routes.filter((r) => r.method === 'GET' && r.options.config?.roles).map((r) => r.url.replace(/:[a-z]+/g, 'x1'));
  const statuses = new Map<number, number>();
  for (let i = 0; i < 400; i++) {
    const qs = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => `${pick()}=${pick()}`).join('&');
    const path = `${gets[i % gets.length]}?${qs}`;
    const res = await p.api(path);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    assert.ok(res.status < 500, `${path} → ${res.status} ${await res.text()}`);
    await res.arrayBuffer().catch(() => undefined);
  }
  assert.ok((statuses.get(400) ?? 0) > 100, `expected mostly 400s: ${JSON.stringify([...statuses])}`);
});
