// Access that holds after revocation: live Socket.IO sockets are disconnected the moment their credential is
// revoked (token revoked, user deleted, password changed, logout); one's own password change ends one's
// other sessions; the lock-out cannot be used to lock someone else out; dead letters are paged; a
// prototype-pollution body is told why it was refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import mqtt from 'mqtt';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/index.js';
import { AuthStore } from '../../server/auth/auth-store.js';
import { eventually, startTestPlatform, tempDir, TEST_ADMIN_PASSWORD, type TestPlatform } from '../support/platform.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let p: TestPlatform;
const clients: Client[] = [];

before(async () => { p = await startTestPlatform({ 'models.enabled': false, 'auth.loginMaxAttempts': 5, 'auth.loginRatePerMinute': 100 }); });
after(async () => { for (const c of clients) c.close(); await p?.close(); });

/** A connected socket counting the telemetry it receives. */
async function openSocket(auth: { cookie?: string; token?: string }): Promise<{ socket: Client; received: () => number }> {
  const socket: Client = ioClient(p.url, {
    transports: ['websocket'], reconnection: false, auth: { rooms: ['fleet'], ...(auth.token ? { token: auth.token } : {}) },
    ...(auth.cookie ? { extraHeaders: { cookie: auth.cookie } } : {}),
  });
  clients.push(socket);
  let n = 0;
  socket.on('telemetry', () => { n++; });
  await new Promise<void>((resolve, reject) => { socket.on('connect', () => resolve()); socket.on('connect_error', reject); });
  return { socket, received: () => n };
}

let seq = 0;
const emitReading = () => p.bus.emit('telemetry', { site: 'north', modality: 'mri', scannerId: `rv-${++seq}`, ts: Date.now(), metrics: { helium_level_pct: 80 } });

/** After `revoke`, the socket is disconnected at once and receives nothing more, while `control` still does. */
async function assertCutOff(victim: Client, received: () => number, control: { received: () => number }, revoke: () => Promise<unknown>): Promise<void> {
  emitReading();
  await eventually('the socket receives telemetry before revocation', async () => received(), (n) => n > 0);
  await revoke();
  await eventually('the socket is disconnected', async () => victim.connected, (c) => !c, 2000);
  const before = received();
  const controlBefore = control.received();
  for (let i = 0; i < 5; i++) emitReading();
  await eventually('the control socket still receives', async () => control.received(), (n) => n > controlBefore);
  assert.equal(received(), before, 'events after revocation');
}

const createUser = (username: string, role = 'viewer') =>
  p.api('/api/users', { method: 'POST', json: { username, password: `${username}-password`, role, mustChangePassword: false } });

test('revoking a token disconnects its sockets at once', async () => {
  const control = await openSocket({ cookie: p.adminCookie });
  const { token, info } = (await (await p.api('/api/tokens', { method: 'POST', json: { name: 'wall', role: 'viewer', scopes: ['read'] } })).json()) as { token: string; info: { id: string } };
  const { socket, received } = await openSocket({ token });
  await assertCutOff(socket, received, control, () => p.api(`/api/tokens/${info.id}`, { method: 'DELETE' }));
});

test('deleting a user disconnects their sockets at once', async () => {
  const control = await openSocket({ cookie: p.adminCookie });
  await createUser('leaver');
  const { socket, received } = await openSocket({ cookie: await p.login('leaver', 'leaver-password') });
  await assertCutOff(socket, received, control, () => p.api('/api/users/leaver', { method: 'DELETE' }));
});

test('logging out disconnects the sockets of that session only', async () => {
  await createUser('twice');
  const first = await p.login('twice', 'twice-password');
  const other = await openSocket({ cookie: await p.login('twice', 'twice-password') });
  const { socket, received } = await openSocket({ cookie: first });
  await assertCutOff(socket, received, other, () => p.api('/api/auth/logout', { method: 'POST', cookie: first }));
  assert.ok(other.socket.connected, 'the other session\'s socket was dropped too');
});

test('changing one\'s password ends one\'s other sessions and their sockets, and keeps the current one', async () => {
  await createUser('changer', 'biomed');
  const current = await p.login('changer', 'changer-password');
  const elsewhere = await p.login('changer', 'changer-password');
  const mine = await openSocket({ cookie: current });
  const { socket, received } = await openSocket({ cookie: elsewhere });
  await assertCutOff(socket, received, mine, () => p.api('/api/me/password', { method: 'POST', cookie: current, json: { currentPassword: 'changer-password', newPassword: 'changer-password-2' } }));
  assert.equal((await p.api('/api/me', { cookie: elsewhere })).status, 401, 'the other session survived the password change');
  assert.equal((await p.api('/api/me', { cookie: current })).status, 200, 'the session that changed the password was ended');
  assert.ok(mine.socket.connected, 'the current session\'s socket was dropped');
});

test('narrowing a user\'s sites disconnects their sockets, which were authorised for the old sites', async () => {
  const control = await openSocket({ cookie: p.adminCookie });
  await createUser('mover');
  const { socket, received } = await openSocket({ cookie: await p.login('mover', 'mover-password') });
  await assertCutOff(socket, received, control, () => p.api('/api/users/mover', { method: 'PATCH', json: { sites: ['south'] } }));
});

/** POST /api/auth/login from a chosen loopback source address (a real second client address). */
function loginFrom(localAddress: string, password: string): Promise<number> {
  const { port } = new URL(p.url);
  const body = JSON.stringify({ username: 'admin', password });
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('wrong passwords from one address do not lock the admin out from another', async () => {
  for (let i = 0; i < 5; i++) assert.equal(await loginFrom('127.0.0.2', `wrong-${i}`), 401);
  assert.equal(await loginFrom('127.0.0.2', TEST_ADMIN_PASSWORD), 429, 'the guessing address is locked out');
  assert.equal(await loginFrom('127.0.0.3', TEST_ADMIN_PASSWORD), 200, 'the admin is locked out from a fresh address');
});

test('dead letters are paged like every list: items, total, nextOffset', async () => {
  const c = await mqtt.connectAsync(p.mqttUrl);
  for (let i = 0; i < 5; i++) await c.publishAsync(`gantry/v1/north/mri/dl-${i}/telemetry`, `not json ${i}`, { qos: 1 });
  await c.endAsync();
  type DlPage = { items: { topic: string }[]; total: number; nextOffset?: number };
  const first = await eventually('5 dead letters', async () => (await (await p.api('/api/dead-letters?limit=2')).json()) as DlPage, (b) => b.total === 5);
  assert.deepEqual(first.items.map((d) => d.topic), ['gantry/v1/north/mri/dl-4/telemetry', 'gantry/v1/north/mri/dl-3/telemetry']);
  assert.equal(first.nextOffset, 2);
  const last = (await (await p.api('/api/dead-letters?limit=2&offset=4')).json()) as DlPage;
  assert.deepEqual(last.items.map((d) => d.topic), ['gantry/v1/north/mri/dl-0/telemetry']);
  assert.equal(last.nextOffset, undefined);
});

test('a prototype-pollution body is refused with a message that says so', async () => {
  for (const body of ['{"name":"x","__proto__":{"admin":true}}', '{"name":"x","constructor":{"prototype":{"admin":true}}}']) {
    const res = await p.api('/api/fleet/sites/polluted', { method: 'PUT', body, headers: { 'content-type': 'application/json' } });
    const err = (await res.json()) as { statusCode: number; message: string; code?: string };
    assert.equal(res.status, 400);
    assert.match(err.message, /prototype/);
    assert.equal(err.code, 'forbidden_key');
  }
  const broken = await p.api('/api/fleet/sites/polluted', { method: 'PUT', body: '{"name": ', headers: { 'content-type': 'application/json' } });
  assert.match(((await broken.json()) as { message: string }).message, /not valid JSON/);
});

test('a socket\'s credential stops being live when its session expires or its token is revoked (the periodic sweep)', async () => {
  const dir = tempDir('auth');
  try {
    const store = new AuthStore({ file: join(dir, 'auth.json'), sessionTtlMs: 300, maxAttempts: 5, lockoutMs: 60_000 });
    await store.ensureInitialAdmin('initial-password-1');
    const { principal } = await store.login('admin', 'initial-password-1', '127.0.0.1');
    const { info } = await store.createToken({ name: 't', role: 'viewer', scopes: ['read'] }, 'admin');
    const token = { actor: `token:${info.id}`, username: 'admin', role: 'viewer' as const, via: 'token' as const, tokenId: info.id };
    assert.ok(store.isLive(principal) && store.isLive(token));
    await store.revokeToken(info.id);
    assert.equal(store.isLive(token), false);
    await eventually('the session expired', async () => store.isLive(principal), (live) => !live, 2000);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
