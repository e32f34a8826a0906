// Login, sessions, lock-out, tokens, audit trail, the fleet registry and the public docs, against a real
// platform; first-start admin creation against the real state file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { AuthStore } from '../../server/auth/auth-store.js';
import { eventually, metricValue, startTestPlatform, tempDir, type TestPlatform } from '../support/platform.js';

describe('first start', () => {
  test('creates admin with a random one-time password, stored only hashed, only once', async () => {
    const dir = tempDir('auth');
    try {
      const file = join(dir, 'auth.json');
      const opts = { file, sessionTtlMs: 60_000, maxAttempts: 5, lockoutMs: 60_000 };
      const first = await new AuthStore(opts).ensureInitialAdmin('');
      assert.ok(first?.generated);
      assert.ok((first?.password.length ?? 0) >= 20);
      const text = readFileSync(file, 'utf8');
      assert.ok(!text.includes(first?.password as string), 'plaintext password in the state file');
      assert.match(text, /scrypt\$16384\$8\$1\$/);
      const again = new AuthStore(opts);
      assert.equal(await again.ensureInitialAdmin(''), undefined);
      const { principal } = await again.login('admin', first?.password as string, '127.0.0.1');
      assert.equal(principal.role, 'admin');
      assert.equal(principal.mustChangePassword, true);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('platform auth', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ 'auth.loginMaxAttempts': 3, 'auth.lockoutMinutes': 0.05, 'auth.loginRatePerMinute': 50, 'http.secureCookies': true });
  });
  after(async () => { await p?.close(); });

  const login = (username: string, password: string) => p.api('/api/auth/login', { method: 'POST', cookie: '', json: { username, password } });

  test('the session cookie is HttpOnly, SameSite=Strict and Secure when configured', async () => {
    const res = await login('admin', 'test-admin-password-1');
    assert.equal(res.status, 200);
    const c = res.headers.getSetCookie().find((x) => x.startsWith('gantry_session=')) ?? '';
    assert.match(c, /HttpOnly/);
    assert.match(c, /SameSite=Strict/);
    assert.match(c, /Secure/);
    assert.deepEqual(await res.json(), { username: 'admin', role: 'admin', via: 'session' });
  });

  test('wrong passwords lock the user out, even with the right one afterwards, until the lock expires', async () => {
    await p.api('/api/users', { method: 'POST', json: { username: 'nurse', password: 'correct-horse-battery', role: 'viewer', mustChangePassword: false } });
    for (let i = 0; i < 3; i++) assert.equal((await login('nurse', `wrong-${i}`)).status, 401);
    const locked = await login('nurse', 'correct-horse-battery');
    assert.equal(locked.status, 429);
    assert.equal(((await locked.json()) as { code: string }).code, 'locked_out');
    await new Promise((r) => setTimeout(r, 3100));
    assert.equal((await login('nurse', 'correct-horse-battery')).status, 200);
    assert.equal((await login('nobody-at-all', 'x')).status, 401);
  });

  test('a user with a one-time password can only see who they are and change it', async () => {
    await p.api('/api/users', { method: 'POST', json: { username: 'newbie', password: 'one-time-password-1', role: 'biomed' } });
    const cookie = await p.login('newbie', 'one-time-password-1');
    assert.deepEqual(await (await p.api('/api/me', { cookie })).json(), { username: 'newbie', role: 'biomed', via: 'session', mustChangePassword: true });
    const blocked = await p.api('/api/fleet/sites', { cookie });
    assert.equal(blocked.status, 403);
    assert.equal(((await blocked.json()) as { code: string }).code, 'password_change_required');
    const change = (currentPassword: string, newPassword: string) => p.api('/api/me/password', { method: 'POST', cookie, json: { currentPassword, newPassword } });
    assert.equal((await change('one-time-password-1', 'one-time-password-1')).status, 400);
    assert.equal((await change('wrong-password-xx', 'my-own-password-1')).status, 400);
    assert.equal((await change('one-time-password-1', 'my-own-password-1')).status, 200);
    assert.equal((await p.api('/api/fleet/sites', { cookie })).status, 200);
  });

  test('logout ends the session; a revoked token stops working', async () => {
    const cookie = await p.login('admin', 'test-admin-password-1');
    assert.equal((await p.api('/api/me', { cookie })).status, 200);
    assert.equal((await p.api('/api/auth/logout', { method: 'POST', cookie })).status, 200);
    assert.equal((await p.api('/api/me', { cookie })).status, 401);
    const created = (await (await p.api('/api/tokens', { method: 'POST', json: { name: 'cmms', role: 'manager', scopes: ['read'] } })).json()) as { token: string; info: { id: string } };
    const auth = { authorization: `Bearer ${created.token}` };
    assert.deepEqual(await (await p.api('/api/me', { headers: auth })).json(), { username: 'admin', role: 'manager', via: 'token' });
    assert.equal((await p.api(`/api/tokens/${created.info.id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await p.api('/api/me', { headers: auth })).status, 401);
    const list = (await (await p.api('/api/tokens')).json()) as { items: { id: string; revokedAt?: number }[] };
    assert.ok(list.items.find((t) => t.id === created.info.id)?.revokedAt);
    assert.ok(!JSON.stringify(list).includes(created.token.slice(-20)), 'token secret listed');
  });

  test('every write is audited with who, what, when and from where; admins can filter it', async () => {
    const t0 = Date.now();
    assert.equal((await p.api('/api/fleet/sites/north', { method: 'PUT', json: { name: 'North wing' } })).status, 201);
    assert.equal((await p.api('/api/fleet/sites/north', { method: 'PUT', cookie: '', json: { name: 'x' } })).status, 401);
    const res = await p.api(`/api/audit?action=${encodeURIComponent('/api/fleet/sites/:id')}&from=${t0}`);
    const page = (await res.json()) as { items: { actor: string; action: string; target?: string; statusCode: number; ip: string; ts: number }[] };
    assert.deepEqual(page.items.map((e) => [e.actor, e.action, e.target, e.statusCode]), [
      ['anonymous', 'PUT /api/fleet/sites/:id', 'north', 401],
      ['admin', 'PUT /api/fleet/sites/:id', 'north', 201],
    ]);
    assert.ok(page.items.every((e) => e.ip === '127.0.0.1' && e.ts >= t0));
    const logins = (await (await p.api('/api/audit?action=login&limit=2')).json()) as { items: { target?: string }[]; nextOffset?: number };
    assert.equal(logins.items.length, 2);
    assert.equal(logins.nextOffset, 2);
    const file = readFileSync(join(p.dataDir, 'audit.jsonl'), 'utf8');
    assert.ok(!file.includes('test-admin-password-1') && !file.includes('correct-horse'), 'a password reached the audit log');
  });

  test('a scanner the registry does not know is listed as unregistered until an admin registers it', async () => {
    const c = await mqtt.connectAsync(p.mqttUrl);
    await c.publishAsync('gantry/v1/north/ct/north-ct-77/telemetry', JSON.stringify({ ts: Date.now(), metrics: { power_kw: 3 } }), { qos: 1 });
    await c.endAsync();
    const un = await eventually('unregistered listed', async () => (await (await p.api('/api/fleet/unregistered')).json()) as { items: { scannerId: string; site: string; messages: number }[] },
      (b) => b.items.some((s) => s.scannerId === 'north-ct-77'));
    assert.deepEqual(un.items.find((s) => s.scannerId === 'north-ct-77'), { ...un.items.find((s) => s.scannerId === 'north-ct-77'), site: 'north', messages: 1 });
    const put = await p.api('/api/fleet/scanners/north-ct-77', { method: 'PUT', json: { site: 'north', modality: 'ct', vendor: 'GE', model: 'Revolution', serial: 'R77', installDate: '2021-04-01', labels: { room: 'ct-2' } } });
    assert.equal(put.status, 201);
    const after = (await (await p.api('/api/fleet/unregistered')).json()) as { items: { scannerId: string }[] };
    assert.ok(!after.items.some((s) => s.scannerId === 'north-ct-77'));
    const saved = JSON.parse(readFileSync(join(p.dataDir, 'fleet.json'), 'utf8')) as { scanners: { id: string; serial: string }[] };
    assert.equal(saved.scanners.find((s) => s.id === 'north-ct-77')?.serial, 'R77');
    assert.equal((await p.api('/api/fleet/sites/north', { method: 'DELETE' })).status, 409);
  });

  test('site-scoped users only see their sites', async () => {
    await p.api('/api/fleet/sites/south', { method: 'PUT', json: { name: 'South' } });
    await p.api('/api/users', { method: 'POST', json: { username: 'south-tech', password: 'south-tech-password', role: 'biomed', sites: ['south'], mustChangePassword: false } });
    const cookie = await p.login('south-tech', 'south-tech-password');
    const sites = (await (await p.api('/api/fleet/sites', { cookie })).json()) as { items: { id: string }[] };
    assert.deepEqual(sites.items.map((s) => s.id), ['south']);
    assert.equal((await p.api('/api/fleet/scanners/north-ct-77', { cookie })).status, 404);
    assert.equal((await p.api(`/api/telemetry/series?scanner=north-ct-77&metrics=power_kw&from=${Date.now() - 60_000}`, { cookie })).status, 404);
  });

  test('/docs serves the OpenAPI document, generated from the route schemas, without login', async () => {
    const res = await p.api('/docs/json', { cookie: '' });
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/api/telemetry/series', '/api/fleet/scanners/{id}', '/api/auth/login', '/api/audit']) assert.ok(doc.paths[path], `${path} missing`);
    assert.equal((await p.api('/docs', { cookie: '' })).status < 400, true);
    assert.equal((await p.api('/health', { cookie: '' })).status, 200);
  });

  test('/metrics is refused without a token and exposes HTTP, socket and ingest metrics with one', async () => {
    assert.equal((await p.api('/metrics', { cookie: '' })).status, 401);
    assert.ok(await metricValue(p.url, 'gantry_http_requests_total', '{method="GET",route="/health",status="200"}') >= 1);
    assert.ok(await metricValue(p.url, 'gantry_socket_clients') >= 0);
    assert.ok(await metricValue(p.url, 'gantry_influx_points_written_total') >= 0);
    const text = await (await p.api('/metrics')).text();
    assert.ok(!/route="\/api\/fleet\/sites\/north"/.test(text), 'raw URLs leaked into labels');
  });
});
