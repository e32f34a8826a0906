// Users, sessions, API tokens and device credentials kept in Redis (cluster.redisUrl): two AuthStores on
// one private redis-server stand for two instances. A password change, a disabled user or a revoked token
// takes effect on the other instance as soon as the writing call has returned.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../lib/logger.js';
import { AuthStore, validAuthState } from '../../server/auth/auth-store.js';
import { MqttDevices, validDevices } from '../../server/auth/mqtt-devices.js';
import { connectRedis, type RedisConns } from '../../server/cluster/redis.js';
import { RedisState } from '../../server/cluster/redis-state.js';
import { startPrivateRedis, type PrivateRedis } from '../../server/services/private-redis.js';
import { tempDir } from '../support/platform.js';

let redis: PrivateRedis;
const conns: RedisConns[] = [];
const log = createLogger('silent');

before(async () => { redis = await startPrivateRedis({ dir: tempDir('shared-redis') }); });
after(async () => { for (const c of conns) await c.close(); await redis?.stop(); });

/** Synchronous checks see the other instance's write once its announcement arrived: within this bound. */
async function soon(what: string, ok: () => boolean, withinMs = 200): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail(`${what} did not hold within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function instance(prefix: string): Promise<{ auth: AuthStore; devices: MqttDevices }> {
  const r = await connectRedis(redis.url, prefix, log);
  conns.push(r);
  const opts = { file: '/nonexistent/auth.json', sessionTtlMs: 3_600_000, maxAttempts: 5, lockoutMs: 60_000 };
  const auth = new AuthStore({ ...opts, shared: await RedisState.open(r, 'auth', (x) => validAuthState(x)) });
  const devices = new MqttDevices('/nonexistent/devices.json', await RedisState.open(r, 'mqtt-devices', (x) => validDevices(x)));
  return { auth, devices };
}

test('sessions, password changes, disabled users and revoked tokens are the same on two instances', async () => {
  const one = await instance('t1');
  const two = await instance('t1');
  const created = await Promise.all([one.auth.ensureInitialAdmin('admin-pass-1'), two.auth.ensureInitialAdmin('admin-pass-1')]);
  assert.equal(created.filter(Boolean).length, 1, 'one admin, created once');

  await one.auth.createUser({ username: 'ana', password: 'ana-pass-12345', role: 'biomed', mustChangePassword: false });
  const s = await two.auth.login('ana', 'ana-pass-12345', '127.0.0.1');
  await soon('a session made on two is valid on one', () => one.auth.fromSession(s.sessionId)?.username === 'ana');

  await one.auth.changePassword('ana', 'ana-pass-12345', 'ana-pass-67890', undefined);
  await assert.rejects(two.auth.login('ana', 'ana-pass-12345', '127.0.0.1'), /wrong username or password/);
  await two.auth.login('ana', 'ana-pass-67890', '127.0.0.1');

  await one.auth.updateUser('ana', { disabled: true });
  await soon('disabling on one ends the session on two', () => two.auth.fromSession(s.sessionId) === undefined);

  const { token, info } = await two.auth.createToken({ name: 'ci', role: 'viewer', scopes: ['read'] }, 'admin');
  await soon('a token made on two works on one', () => one.auth.fromBearer(token)?.tokenId === info.id);
  await two.auth.revokeToken(info.id);
  await soon('revoked on two, refused on one', () => one.auth.fromBearer(token) === undefined);

  // Concurrent writes from both instances are all kept (compare-and-set retries, no lost update).
  await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).auth.createUser({ username: `u${i}`, password: 'password-12345', role: 'viewer' })));
  await soon('all ten users kept', () => one.auth.listUsers().filter((u) => u.username.startsWith('u')).length === 10);
  await soon('both see every user', () => two.auth.listUsers().length === one.auth.listUsers().length);

  const dev = await one.devices.create({ username: 'mri-7', publish: ['gantry/v1/+/mri/mri-7/+'] });
  const id = await two.devices.authenticate('mri-7', Buffer.from(dev.password), false);
  assert.equal(id?.kind, 'device');
  await two.devices.remove('mri-7');
  assert.equal(await one.devices.authenticate('mri-7', Buffer.from(dev.password), false), undefined);
});
