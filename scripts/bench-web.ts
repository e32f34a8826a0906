// npm run bench:web — the fleet page under a 500-scanner fleet publishing at 1 Hz, in Debian's Chromium:
// time to first contentful paint / largest contentful paint / all tiles rendered, and main-thread time per
// second spent while live updates flow (Chrome DevTools Protocol Performance.getMetrics). The baseline,
// measured in the same run on the same page, is the main-thread time per second once the fleet stops.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseCli } from '../lib/cli-args.js';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../e2e/support/browser.js';
import { startTestPlatform, TEST_ADMIN_PASSWORD } from '../test/support/platform.js';
import { sleep } from '../lib/net.js';

const spec = {
  command: 'npm run bench:web --',
  summary: 'Dashboard rendering cost in headless Chromium with a simulated fleet.',
  options: {
    scanners: { type: 'string', default: '500', description: 'simulated scanners' },
    seconds: { type: 'string', default: '10', description: 'seconds measured' },
    profile: { type: 'boolean', default: false, description: 'record a CPU profile' },
  },
} as const;
const { values } = parseCli(spec);
const scanners = Number(values.scanners);
const seconds = Number(values.seconds);

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** --profile: a CPU profile of the live window, its top functions by self time printed and the file saved
 *  (open it in Chrome DevTools). Build with `npx vite build --config web/vite.config.ts --minify false` for names. */
async function profileLive(page: Page, windowS: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await sleep(windowS * 1000);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byName = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  const top = [...byName.entries()].filter(([k]) => !/^\((idle|program|garbage collector)\)/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log('  top self time during live updates (ms/s):');
  for (const [k, us] of top) console.log(`    ${(us / 1000 / windowS).toFixed(1).padStart(7)}  ${k}`);
  const gc = [...byName.entries()].find(([k]) => k.startsWith('(garbage collector)'))?.[1] ?? 0;
  console.log(`    ${(gc / 1000 / windowS).toFixed(1).padStart(7)}  (garbage collector)`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/web-live.cpuprofile', JSON.stringify(profile));
}

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

/**
 * How long after a reading was taken the first tile shows it: the tile's data-ts is polled, and each change
 * counts now − ts. Includes the server's coalescing tick and the page's publish interval (polling adds ≤ 50 ms).
 */
async function displayLag(page: Page, windowS: number): Promise<{ medianMs: number; maxMs: number; updates: number }> {
  const footer = page.locator('[data-testid^="tile-"] .updated').first();
  const lags: number[] = [];
  let last = '';
  const end = Date.now() + windowS * 1000;
  while (Date.now() < end) {
    const ts = (await footer.getAttribute('data-ts')) ?? '';
    if (ts !== last) { if (last) lags.push(Date.now() - Number(ts)); last = ts; }
    await sleep(50);
  }
  lags.sort((a, b) => a - b);
  return { medianMs: lags[Math.floor(lags.length / 2)] ?? NaN, maxMs: lags[lags.length - 1] ?? NaN, updates: lags.length };
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
  await page.locator('[data-testid^="tile-"]').nth(scanners - 1).waitFor({ timeout: 60000 });
  const allTilesMs = Date.now() - t0;
  // Paint timings from the page's Performance API (runs in the browser; Node's perf_hooks types cover it).
  const paints = await page.evaluate(() => new Promise<{ fcp: number; lcp: number }>((resolve) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    let lcp = NaN;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) lcp = e.startTime; })
      .observe({ type: 'largest-contentful-paint', buffered: true } as unknown as { entryTypes: ['mark'] });
    setTimeout(() => resolve({ fcp, lcp }), 500);
  }));
  const live = await mainThreadMsPerSecond(page, seconds);
  if (values.profile) await profileLive(page, seconds);
  const lag = await displayLag(page, seconds);
  await p.simulator?.stop();
  await sleep(1500);
  const idle = await mainThreadMsPerSecond(page, seconds);
  const result = {
    scanners, rateHz: 1, windowSeconds: seconds,
    firstContentfulPaintMs: Math.round(paints.fcp), largestContentfulPaintMs: Math.round(paints.lcp), allTilesRenderedMs: allTilesMs,
    live, firstTileDisplayLag: lag,
  };
  console.log(`fleet page, ${scanners} scanners at 1 Hz, Chromium ${browser.version()}`);
  console.log(`  first contentful paint      ${result.firstContentfulPaintMs} ms`);
  console.log(`  largest contentful paint    ${result.largestContentfulPaintMs} ms`);
  console.log(`  all ${scanners} tiles rendered    ${allTilesMs} ms (navigation to DOM)`);
  console.log(`  main thread, live updates   ${live.taskMsPerS} ms/s (script ${live.scriptMsPerS}, layout ${live.layoutMsPerS}, style ${live.styleMsPerS})`);
  console.log(`  first tile shows a reading   ${lag.medianMs} ms after it was taken (median of ${lag.updates}, max ${lag.maxMs} ms)`);
  console.log(`  main thread, idle baseline  ${idle.taskMsPerS} ms/s (script ${idle.scriptMsPerS}, layout ${idle.layoutMsPerS}, style ${idle.styleMsPerS})`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/web.json', JSON.stringify({ ...result, idleBaseline: idle, at: new Date().toISOString() }, null, 2));
} finally {
  await browser.close();
  await p.close();
}
