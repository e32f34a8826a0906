// The walking skeleton seen by a person: the dashboard shows 12 live tiles; a helium leak injected into the
// simulated fleet turns a tile critical and an alert appears, without reloading the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, TEST_ADMIN_PASSWORD, type TestPlatform } from '../test/support/platform.js';
import { ARTIFACTS, launchBrowser, signIn } from './support/browser.js';

let p: TestPlatform;
let browser: Browser;
let page: Page;

before(async () => {
  p = await startTestPlatform({ 'simulator.enabled': true, 'simulator.intervalMs': 1000 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});
after(async () => {
  await browser?.close();
  await p?.close();
});

test('the fleet page shows 12 tiles whose values change live', async () => {
  await signIn(page, p.url, 'admin', TEST_ADMIN_PASSWORD);
  await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
  const tiles = page.locator('[data-testid^="tile-"]');
  await page.waitForFunction(`document.querySelectorAll('[data-testid^="tile-"]').length === 12`);
  assert.equal(await tiles.count(), 12);
  const power = page.getByTestId('value-central-ct-1-power_kw');
  const first = await page.getByTestId('tile-central-ct-1').locator('.updated').textContent();
  await page.waitForFunction(`document.querySelector('[data-testid="tile-central-ct-1"] .updated')?.textContent !== ${JSON.stringify(first)}`, undefined, { timeout: 5000 });
  assert.match((await power.textContent()) ?? '', /kW$/);
  await page.screenshot({ path: `${ARTIFACTS}/fleet.png`, fullPage: true });
});

test('an injected helium leak raises an alert on the page and turns the tile critical', async () => {
  const target = 'central-mri-1';
  assert.equal(await page.getByTestId(`tile-${target}`).getAttribute('data-state'), 'ok');
  assert.ok(p.simulator?.injectFault(target, 'helium_leak', 8));
  const alert = page.getByTestId(`alert-mri-helium-low:${target}`);
  await alert.waitFor({ timeout: 20000 });
  assert.equal(await alert.getAttribute('data-state'), 'firing');
  assert.match((await alert.textContent()) ?? '', /Helium level .* below 60 %/);
  await page.waitForFunction(`document.querySelector('[data-testid="tile-${target}"]')?.getAttribute('data-state') === 'critical'`);
  assert.match((await page.getByTestId('open-alert-count').textContent()) ?? '', /^1 open alert$/);
  await page.screenshot({ path: `${ARTIFACTS}/helium-alert.png`, fullPage: true });
});
