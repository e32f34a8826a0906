// Login lock-out in a cluster: two Gantry servers (child processes) on one private Redis count the same
// failed logins. Kept per process, an attacker alternating between the instances behind the load balancer
// had loginMaxAttempts guesses on each of them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, login, startInstance, type Instance } from '../../scripts/bench/cluster-instances.js';
import { startClusterServices, type ClusterServices } from '../support/cluster.js';

let cs: ClusterServices;
before(async () => { cs = await startClusterServices('lockout'); });
after(async () => { await cs?.stop(); });

const attempt = async (i: Instance, username: string, password: string): Promise<number> =>
  (await fetch(`${i.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).status;

test('failed logins on either instance count towards one lock-out', { timeout: 60_000 }, async () => {
  const extra = { GANTRY_AUTH_LOGIN_MAX_ATTEMPTS: '4', GANTRY_AUTH_LOGIN_RATE_PER_MINUTE: '100' };
  const [a, b] = await Promise.all([startInstance('a', cs.shared, extra), startInstance('b', cs.shared, extra)]);
  cs.instances.push(a, b);
  const cookie = await login(a.url);
  const made = await fetch(`${a.url}/api/users`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ana', password: 'ana-password-123', role: 'viewer', mustChangePassword: false }) });
  assert.equal(made.status, 201, await made.text());

  // Alternating: two wrong passwords on each instance make four, the limit.
  for (const i of [a, b, a, b]) assert.equal(await attempt(i, 'admin', 'wrong-password'), 401);
  assert.equal(await attempt(a, 'admin', ADMIN_PASSWORD), 429, 'locked on a');
  assert.equal(await attempt(b, 'admin', ADMIN_PASSWORD), 429, 'locked on b');

  // At the same time on both: every failure is counted (one atomic increment each).
  const wrong = await Promise.all([a, b, a, b].map((i) => attempt(i, 'ana', 'wrong-password')));
  assert.deepEqual(wrong.sort(), [401, 401, 401, 401]);
  assert.equal(await attempt(b, 'ana', 'ana-password-123'), 429);

  // A success clears the count everywhere: three failures, a success, three more leave the user free.
  const madeBo = await fetch(`${a.url}/api/users`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bo', password: 'bo-password-1234', role: 'viewer', mustChangePassword: false }) });
  assert.equal(madeBo.status, 201);
  for (const i of [a, b, a]) assert.equal(await attempt(i, 'bo', 'wrong-password'), 401);
  assert.equal(await attempt(b, 'bo', 'bo-password-1234'), 200);
  for (const i of [b, a, b]) assert.equal(await attempt(i, 'bo', 'wrong-password'), 401);
  assert.equal(await attempt(a, 'bo', 'bo-password-1234'), 200);
});
