// The dashboard after the server drops its socket (docs/api.md, "Revocation"): when the user's sites change
// the page reconnects by itself with the new scope; when the user is deleted it returns to the login form.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '../test/support/platform.js';
import { launchBrowser, signIn, until } from './support/browser.js';

let p: TestPlatform;
let browser: Browser;

before(async () => {
  p = await startTestPlatform({ 'models.enabled': false });
  const res = await p.api('/api/users', { method: 'POST', json: { username: 'moving', password: 'password-for-moving', role: 'viewer', sites: ['north'], mustChangePassword: false } });
  assert.equal(res.status, 201, await res.text());
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await p?.close(); });

test('a re-scoped user\'s page reconnects; a deleted user\'s page goes back to login', async () => {
  const page = await browser.newPage();
  await signIn(page, p.url, 'moving', 'password-for-moving');
  const connection = () => page.getByTestId('connection').textContent();
  await until('live', async () => (await connection()) === 'live');
  const sockets = () => p.http.io.sockets.sockets.size;
  const before = [...p.http.io.sockets.sockets.keys()];
  assert.equal((await p.api('/api/users/moving', { method: 'PATCH', json: { sites: ['south'] } })).status, 200);
  await until('a new socket', async () => sockets() === 1 && !before.includes([...p.http.io.sockets.sockets.keys()][0] as string));
  await until('live again', async () => (await connection()) === 'live');
  assert.equal((await p.api('/api/users/moving', { method: 'DELETE' })).status, 200);
  await page.locator('input[name=username]').waitFor({ timeout: 15000 });
  assert.equal(sockets(), 0, 'the deleted user still has a socket');
  await page.close();
});
