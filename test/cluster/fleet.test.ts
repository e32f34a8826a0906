// The fleet registry of a cluster: two Gantry servers (child processes) on one private Redis share sites and
// scanners. Kept per instance, a scanner registered through one instance was unknown to the other (its
// dashboards listed it as unregistered, its site-scoped users could not see it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, startInstance } from '../../scripts/bench/cluster-instances.js';
import { publishHot, startClusterServices, type ClusterServices } from '../support/cluster.js';
import { eventually } from '../support/platform.js';

let cs: ClusterServices;
before(async () => { cs = await startClusterServices('fleet'); });
after(async () => { await cs?.stop(); });

test('a site and scanner registered on one instance are registered on the other', { timeout: 60_000 }, async () => {
  const [a, b] = await Promise.all([startInstance('a', cs.shared), startInstance('b', cs.shared)]);
  cs.instances.push(a, b);
  const cookie = await login(a.url);
  const call = (url: string, method: string, path: string, body?: unknown) => fetch(`${url}${path}`, {
    method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const get = async <T>(url: string, path: string) => ((await (await call(url, 'GET', path)).json()) as { items: T[] }).items;

  // Heard from before it is registered: both instances list it as unregistered.
  await publishHot(cs.mosq.url, 'ct-new', 2);
  for (const i of [a, b]) await eventually(`unregistered on ${i.name}`, () => get<{ scannerId: string }>(i.url, '/api/fleet/unregistered'), (u) => u.some((x) => x.scannerId === 'ct-new'));

  assert.equal((await call(a.url, 'PUT', '/api/fleet/sites/north', { name: 'North hospital', timezone: 'Europe/Oslo' })).status, 201);
  assert.equal((await call(b.url, 'PUT', '/api/fleet/scanners/ct-new', { site: 'north', modality: 'ct', vendor: 'GE', model: 'Revolution', serial: 'N-1' })).status, 201, 'b knows the site a made');
  const onA = await eventually('scanner on a', () => get<{ id: string; site: string }>(a.url, '/api/fleet/scanners'), (s) => s.some((x) => x.id === 'ct-new'));
  assert.equal(onA.find((x) => x.id === 'ct-new')?.site, 'north');
  await eventually('no longer unregistered on a', () => get<{ scannerId: string }>(a.url, '/api/fleet/unregistered'), (u) => !u.some((x) => x.scannerId === 'ct-new'));

  // Rules checked against the newest shared document, whichever instance answers.
  const inUse = await call(a.url, 'DELETE', '/api/fleet/sites/north');
  assert.equal(inUse.status, 409);
  assert.equal((await call(a.url, 'DELETE', '/api/fleet/scanners/ct-new')).status, 200);
  assert.equal((await call(b.url, 'DELETE', '/api/fleet/sites/north')).status, 200);
  await eventually('site gone on a', () => get<{ id: string }>(a.url, '/api/fleet/sites'), (s) => !s.some((x) => x.id === 'north'));
});
