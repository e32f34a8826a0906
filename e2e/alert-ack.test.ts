// The IT/biomed loop in the browser: a helium leak injected into the simulated fleet turns its tile
// critical and brings an alert into the inbox; biomed acknowledges it with a comment, and an IT engineer's
// separate browser session sees it acknowledged live, by whom and why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '../test/support/platform.js';
import { ARTIFACTS, launchBrowser, signIn } from './support/browser.js';

let p: TestPlatform;
let browser: Browser;

before(async () => {
  p = await startTestPlatform({ 'simulator.enabled': true, 'simulator.intervalMs': 1000 });
  for (const role of ['biomed', 'it']) {
    const res = await p.api('/api/users', { method: 'POST', json: { username: `${role}-user`, password: `password-for-${role}`, role, mustChangePassword: false } });
    assert.equal(res.status, 201, await res.text());
  }
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await p?.close(); });

async function session(role: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await signIn(page, p.url, `${role}-user`, `password-for-${role}`);
  return page;
}

test('helium leak → critical tile → alert in the inbox → acknowledged, seen live in a second session', async () => {
  const target = 'riverside-mri-1';
  const biomed = await session('biomed');
  const it = await session('it');
  await biomed.locator(`[data-testid="tile-${target}"][data-state="ok"]`).waitFor();
  await it.click('nav a:has-text("Alerts")');

  assert.ok(p.simulator?.injectFault(target, 'helium_leak', 8));
  await biomed.locator(`[data-testid="tile-${target}"][data-state="critical"]`).waitFor({ timeout: 30000 });
  await biomed.screenshot({ path: `${ARTIFACTS}/fleet-helium-critical.png`, fullPage: true });

  const alertId = `mri-helium-low:${target}`;
  await biomed.click('nav a:has-text("Alerts")');
  const item = biomed.getByTestId(`inbox-${alertId}`);
  await item.waitFor();
  await item.locator('button.row').click();
  await biomed.getByTestId('ack-comment').fill('refill ordered, vendor on site at 14:00');
  await biomed.getByTestId('ack-button').click();
  await biomed.locator(`[data-testid="inbox-${alertId}"][data-state="acknowledged"]`).waitFor();

  // The IT engineer's page updates without a reload.
  const seen = it.locator(`[data-testid="inbox-${alertId}"][data-state="acknowledged"]`);
  await seen.waitFor({ timeout: 10000 });
  await seen.locator('button.row').click();
  const ackedBy = (await it.getByTestId('acked-by').textContent()) ?? '';
  assert.match(ackedBy, /biomed-user/);
  assert.match(ackedBy, /refill ordered/);
  await it.screenshot({ path: `${ARTIFACTS}/alerts-acknowledged.png`, fullPage: true });
  await biomed.context().close();
  await it.context().close();
});
