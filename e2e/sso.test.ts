// Single sign-on as a person does it: the login page offers "Sign in with Hospital SSO", the browser goes
// through a real OpenID provider's login and consent forms and comes back signed in with the mapped role.
// A user without a mapped group comes back to the login page with the reason. The provider is on another site
// (localhost vs 127.0.0.1), so the SameSite rules of the attempt and session cookies are exercised as in a
// hospital.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestOp, type TestOp } from '../test/support/oidc-provider.js';
import { startTestPlatform, type TestPlatform } from '../test/support/platform.js';
import { ARTIFACTS, launchBrowser } from './support/browser.js';

let p: TestPlatform;
let op: TestOp;
let browser: Browser;

before(async () => {
  op = await startTestOp({
    alice: { preferred_username: 'alice', groups: ['gantry-biomed'] },
    bob: { preferred_username: 'bob', groups: ['staff'] },
  }, 'localhost');
  p = await startTestPlatform({
    'auth.oidc': { issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, providerName: 'Hospital SSO', allowHttp: true, scopes: 'openid profile groups', roleMap: { 'gantry-biomed': 'biomed' } },
  });
  op.serve(`${p.url}/api/auth/oidc/callback`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await p?.close();
  await op?.close();
});

async function throughProvider(page: import('playwright-core').Page, account: string): Promise<void> {
  await page.goto(`${p.url}/`);
  await page.getByTestId('sso-login').click();
  await page.waitForURL((u) => u.href.startsWith(op.issuer));
  await page.fill('input[name=login]', account);
  await page.fill('input[name=password]', 'any');
  await page.click('button[type=submit]');
  await page.getByText('Continue').click();
}

test('a person signs in with the hospital SSO and lands on the dashboard with the mapped role', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(`${p.url}/`);
  assert.equal(await page.getByTestId('sso-login').textContent(), 'Sign in with Hospital SSO');
  await page.screenshot({ path: `${ARTIFACTS}/login-sso.png` });
  await throughProvider(page, 'alice');
  await page.getByTestId('user').filter({ hasText: 'alice (biomed)' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  await page.close();
});

test('a person without a mapped group is sent back to the login page with the reason', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await throughProvider(page, 'bob');
  await page.getByTestId('login-error').waitFor();
  assert.match((await page.getByTestId('login-error').textContent()) ?? '', /not in any group that has access/);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.screenshot({ path: `${ARTIFACTS}/login-sso-refused.png` });
  await page.close();
});
