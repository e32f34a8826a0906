// What each role sees, and the pages a person uses every day, in Debian's Chromium against the real server
// and the simulated fleet. Screenshots of each page are kept in test-results/e2e/ as artifacts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, TEST_ADMIN_PASSWORD, type TestPlatform } from '../test/support/platform.js';
import { ARTIFACTS, launchBrowser, signIn, until } from './support/browser.js';

let p: TestPlatform;
let browser: Browser;

const ROLE_NAV: Record<string, string[]> = {
  admin: ['Fleet', 'Alerts', 'PACS', 'Downtime'],
  biomed: ['Fleet', 'Alerts'],
  it: ['Fleet', 'Alerts', 'PACS'],
  manager: ['Fleet', 'Downtime'],
  viewer: ['Fleet'],
};

before(async () => {
  p = await startTestPlatform({ 'simulator.enabled': true, 'simulator.intervalMs': 1000 });
  for (const role of Object.keys(ROLE_NAV).filter((r) => r !== 'admin')) {
    const res = await p.api('/api/users', { method: 'POST', json: { username: role, password: `password-for-${role}`, role, mustChangePassword: false } });
    assert.equal(res.status, 201, await res.text());
  }
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await p?.close(); });

async function pageAs(role: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, p.url, role, role === 'admin' ? TEST_ADMIN_PASSWORD : `password-for-${role}`);
  return page;
}

describe('each role sees only its pages', () => {
  for (const [role, expected] of Object.entries(ROLE_NAV)) {
    test(role, async () => {
      const page = await pageAs(role);
      const nav = await page.locator('nav[aria-label="Main"] a').allTextContents();
      assert.deepEqual(nav, expected);
      // A page outside the role's navigation sends it back to the fleet instead of showing a broken page.
      if (!expected.includes('Downtime')) {
        await page.goto(`${p.url}/downtime`);
        await page.waitForURL(`${p.url}/`);
      }
      await page.context().close();
    });
  }
});

test('wrong password shows an error and no dashboard', async () => {
  const page = await browser.newPage();
  await page.goto(`${p.url}/`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'not-the-password');
  await page.click('button[type=submit]');
  await page.getByTestId('login-error').waitFor();
  assert.equal(await page.locator('[data-testid^="tile-"]').count(), 0);
  await page.screenshot({ path: `${ARTIFACTS}/login-error.png` });
  await page.close();
});

test('a scanner page shows live data, and a range change loads downsampled history', async () => {
  const page = await pageAs('biomed');
  await page.locator('[data-testid^="tile-"]').nth(11).waitFor();
  await page.click('a[href="/scanners/central-mri-1"]');
  await page.waitForURL(/\/scanners\/central-mri-1$/);
  await until('two chart points', async () => Number(await page.getByTestId('scanner-chart').getAttribute('data-points')) >= 2);
  await page.getByTestId('range-1h').click();
  await page.waitForURL(/range=1h/);
  await page.getByTestId('series-status').filter({ hasText: /buckets of \d+ s/ }).waitFor();
  assert.ok(Number(await page.getByTestId('scanner-chart').getAttribute('data-points')) >= 1);
  await page.screenshot({ path: `${ARTIFACTS}/scanner-1h.png`, fullPage: true });
  // The deep link survives a reload (the server serves the app for client-side routes).
  await page.reload();
  await page.getByTestId('range-1h').waitFor();
  assert.equal(await page.getByTestId('range-1h').getAttribute('aria-pressed'), 'true');
  await page.context().close();
});

test('a manager downloads the downtime CSV', async () => {
  const page = await pageAs('manager');
  await page.click('nav a:has-text("Downtime")');
  await page.getByTestId('downtime-kpis').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('downtime-csv').click()]);
  const path = await download.path();
  const csv = readFileSync(path, 'utf8');
  assert.match(csv.split('\n')[0] ?? '', /availability/i);
  await page.screenshot({ path: `${ARTIFACTS}/downtime.png`, fullPage: true });
  await page.context().close();
});

test('a user created with a one-time password must choose a new one before seeing the fleet', async () => {
  const res = await p.api('/api/users', { method: 'POST', json: { username: 'newbie', password: 'one-time-password-1', role: 'viewer' } });
  assert.equal(res.status, 201, await res.text());
  const page = await browser.newPage();
  await page.goto(`${p.url}/`);
  await page.fill('input[name=username]', 'newbie');
  await page.fill('input[name=password]', 'one-time-password-1');
  await page.click('button[type=submit]');
  const form = page.getByRole('form', { name: 'Choose your password' });
  await form.waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/choose-password.png` });
  const inputs = form.locator('input[type=password]');
  await inputs.nth(0).fill('one-time-password-1');
  await inputs.nth(1).fill('my-own-long-passphrase');
  await inputs.nth(2).fill('my-own-long-passphrase');
  await form.locator('button[type=submit]').click();
  await page.locator('[data-testid^="tile-"]').first().waitFor();
  await page.close();
});
