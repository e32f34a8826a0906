// npm run bench:web — the fleet page under a 500-scanner fleet publishing at 1 Hz, in Debian's Chromium:
// time to first contentful paint / largest contentful paint / all tiles rendered, and main-thread time per
// second spent while live updates flow (Chrome DevTools Protocol Performance.getMetrics). The baseline,
// measured in the same run on the same page, is the main-thread time per second once the fleet stops.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../e2e/support/browser.js';
import { startTestPlatform, TEST_ADMIN_PASSWORD } from '../test/support/platform.js';
import { sleep } from '../server/lib/net.js';

const { values } = parseArgs({ options: { scanners: { type: 'string', default: '500' }, seconds: { type: 'string', default: '10' } } });
const scanners = Number(values.scanners);
const seconds = Number(values.seconds);

async function mainThreadMsPerSecond(page: Page, windowS: number): Promise<Record<string, number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const a = await read();
  await sleep(windowS * 1000);
  const b = await read();
  const per = (k: string) => Math.round((((b[k] ?? 0) - (a[k] ?? 0)) / windowS) * 1000 * 10) / 10;
  return { taskMsPerS: per('TaskDuration'), scriptMsPerS: per('ScriptDuration'), layoutMsPerS: per('LayoutDuration'), styleMsPerS: per('RecalcStyleDuration') };
}

const p = await startTestPlatform({ 'simulator.enabled': true, 'simulator.scanners': scanners, 'simulator.intervalMs': 1000 });
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${p.url}/`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', TEST_ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
  await sleep(2000); // let every simulated scanner report once

  // Measured load: a fresh navigation with the session cookie, the fleet already publishing.
  const t0 = Date.now();
  await page.goto(`${p.url}/`);
  await page.waitForFunction(`document.querySelectorAll('[data-testid^="tile-"]').length >= ${scanners}`, undefined, { timeout: 60000 });
  const allTilesMs = Date.now() - t0;
  // Runs in the page (a string: the root tsconfig has no DOM types).
  const paints = await page.evaluate(`new Promise((resolve) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    let lcp = NaN;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) lcp = e.startTime; }).observe({ type: 'largest-contentful-paint', buffered: true });
    setTimeout(() => resolve({ fcp, lcp }), 500);
  })`) as { fcp: number; lcp: number };
  const live = await mainThreadMsPerSecond(page, seconds);
  await p.simulator?.stop();
  await sleep(1500);
  const idle = await mainThreadMsPerSecond(page, seconds);
  const result = {
    scanners, rateHz: 1, windowSeconds: seconds,
    firstContentfulPaintMs: Math.round(paints.fcp), largestContentfulPaintMs: Math.round(paints.lcp), allTilesRenderedMs: allTilesMs,
    live,
  };
  console.log(`fleet page, ${scanners} scanners at 1 Hz, Chromium ${browser.version()}`);
  console.log(`  first contentful paint      ${result.firstContentfulPaintMs} ms`);
  console.log(`  largest contentful paint    ${result.largestContentfulPaintMs} ms`);
  console.log(`  all ${scanners} tiles rendered    ${allTilesMs} ms (navigation to DOM)`);
  console.log(`  main thread, live updates   ${live.taskMsPerS} ms/s (script ${live.scriptMsPerS}, layout ${live.layoutMsPerS}, style ${live.styleMsPerS})`);
  console.log(`  main thread, idle baseline  ${idle.taskMsPerS} ms/s (script ${idle.scriptMsPerS}, layout ${idle.layoutMsPerS}, style ${idle.styleMsPerS})`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/web.json', JSON.stringify({ ...result, idleBaseline: idle, at: new Date().toISOString() }, null, 2));
} finally {
  await browser.close();
  await p.close();
}
