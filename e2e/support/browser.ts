// Debian's Chromium driven by playwright-core (Playwright's own browser download cannot work here). The
// flags keep Chromium from calling out to a network that is closed (see docs/platform.md).
import { chromium, type Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { BINARIES, ensureBinaries } from '../../server/services/system-packages.js';

export const ARTIFACTS = 'test-results/e2e';

export async function launchBrowser(): Promise<Browser> {
  ensureBinaries([BINARIES.chromium]);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: BINARIES.chromium.binary,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Signs in through the login form, as a person would. */
export async function signIn(page: import('playwright-core').Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('user').waitFor();
}

/**
 * Polls a condition from the test side. Page-side string predicates are refused by the dashboard's Content
 * Security Policy (no 'unsafe-eval'), which is how it should be.
 */
export async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
