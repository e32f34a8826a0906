// The PACS page seen by a person on a fresh platform with the simulated PACS: every panel (association
// health, retrieval latency by study age, failures by cause, tiers with their forecast) has data, and a PACS
// alert is in the alert inbox. Simulated time runs ten times faster so the first faults come within seconds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, TEST_ADMIN_PASSWORD, type TestPlatform } from '../test/support/platform.js';
import { ARTIFACTS, launchBrowser, signIn, until } from './support/browser.js';

let p: TestPlatform;
let browser: Browser;
let page: Page;

before(async () => {
  p = await startTestPlatform({
    'models.enabled': false, 'pacs.derivedIntervalMs': 500,
    'pacs.simulator.enabled': true, 'pacs.simulator.timeScale': 0.1, 'pacs.simulator.cycleSeconds': 250, 'pacs.simulator.faultSeconds': 20,
    'pacs.simulator.probeIntervalMs': 200, 'pacs.simulator.storageIntervalMs': 1000,
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1300 } });
});
after(async () => {
  await browser?.close();
  await p?.close();
});

const PANELS = ['association', 'latency', 'failures', 'tiers'];

test('every panel of the PACS page shows data from the simulated PACS', async () => {
  // Wait until the first fault windows have passed, so "failures by cause" has something to show.
  const sim = p.pacsSimulator;
  assert.ok(sim);
  const firstFaults = sim.groundTruth().windows.slice(0, 2);
  await until('two fault windows', async () => Date.now() > (firstFaults[1]?.endMs ?? 0) + 1000, 30_000);
  await signIn(page, p.url, 'admin', TEST_ADMIN_PASSWORD);
  await page.goto(`${p.url}/pacs`);
  const panel = page.getByTestId('pacs-sim-pacs');
  await panel.waitFor();
  for (const id of PANELS) {
    await until(`panel ${id} with data`, async () => (await panel.getByTestId(`panel-${id}`).getAttribute('data-has-data')) === 'true', 30_000);
  }
  // Charts drew lines / bars, not just their frames. Recharts draws after the data arrives (and animates
  // bars in), so wait for the marks rather than counting them at once.
  for (const id of ['latency', 'failures', 'tiers', 'association']) {
    const marks = panel.getByTestId(`panel-${id}`).locator('.recharts-line-curve, .recharts-bar-rectangle path, .recharts-rectangle');
    await until(`panel ${id} draws its data`, async () => (await marks.count()) > 0, 15_000);
  }
  assert.match((await panel.getByTestId('tier-sim-pacs-archive').textContent()) ?? '', /full in \d+ days/);
  await page.screenshot({ path: `${ARTIFACTS}/pacs.png`, fullPage: true });
});

test('a PACS alert is in the alert inbox', async () => {
  await page.goto(`${p.url}/alerts`);
  await until('a PACS alert in the inbox', async () => (await page.locator('[data-testid^="inbox-pacs-"]').count()) > 0, 20_000);
  assert.match((await page.locator('[data-testid^="inbox-pacs-"]').first().textContent()) ?? '', /PACS|sim-pacs/);
  await page.screenshot({ path: `${ARTIFACTS}/pacs-alerts.png`, fullPage: true });
});
