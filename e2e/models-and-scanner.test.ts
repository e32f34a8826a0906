// Model output in the browser, as a biomedical engineer sees it: a helium leak injected into the simulated
// fleet brings a time-to-failure badge on its tile (and the tile to the top when sorted by risk); the
// scanner page shows the anomaly score, the forecast toward the limit, alert and maintenance markers on the
// time axis and the scanner's status timeline, and keeps them when the range changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { StatusChange } from '../contracts/index.js';
import { STATE_CODE } from '../server/telemetry/line-protocol.js';
import { startTestPlatform, type TestPlatform } from '../test/support/platform.js';
import { ARTIFACTS, launchBrowser, signIn, until } from './support/browser.js';

let p: TestPlatform;
let browser: Browser;
let page: Page;
const target = 'riverside-mri-2';

before(async () => {
  // The injected leak runs its course in about a minute, so forecasts may start from seconds of data here.
  // Readings come every second here, so every one is scored (the shipped cadence is one per 120 s of sample time).
  p = await startTestPlatform({ 'simulator.enabled': true, 'simulator.intervalMs': 1000, 'models.forecastEveryMs': 1000, 'models.minTrendMinutes': 0.1, 'models.scoreEverySeconds': 0 });
  const res = await p.api('/api/users', { method: 'POST', json: { username: 'biomed-user', password: 'password-for-biomed', role: 'biomed', mustChangePassword: false } });
  assert.equal(res.status, 201, await res.text());
  await seedHistory();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});
after(async () => { await browser?.close(); await p?.close(); });

/**
 * The hour before the test in InfluxDB, as if the platform had been running: the helium level, anomaly
 * scores with a bump, and states up → maintenance → up → degraded → up.
 */
async function seedHistory(): Promise<void> {
  const now = Date.now(), MIN = 60_000;
  const tags = `modality=mri,scanner=${target},site=riverside`;
  const lines: string[] = [];
  for (let t = now - 60 * MIN; t < now - MIN; t += 30_000) {
    const i = (t - now) / MIN;
    lines.push(`telemetry,${tags} helium_level_pct=${(84 + 0.02 * i + 0.3 * Math.sin(i)).toFixed(3)} ${t}`);
    const bump = Math.abs(i + 30) < 3 ? 0.75 : 0;
    lines.push(`anomaly_score,${tags} anomalous=${bump ? 1 : 0}i,score=${(0.08 + bump + 0.04 * Math.sin(i * 3)).toFixed(3)},threshold=0.5 ${t}`);
  }
  const states: [number, StatusChange['state'], string][] = [[60, 'up', ''], [40, 'maintenance', 'coil service'], [30, 'up', ''], [20, 'degraded', 'boil-off high'], [15, 'up', '']];
  for (const [ago, state, reason] of states) lines.push(`scanner_status,${tags} reason="${reason}",state="${state}",state_code=${STATE_CODE[state]}i ${now - ago * MIN}`);
  const s = p.influx.settings;
  const res = await fetch(`${s.url}/write?db=${s.database}&rp=${s.retentionPolicy}&precision=ms`, { method: 'POST', body: lines.join('\n') });
  assert.equal(res.status, 204, await res.text());
}

const attr = async (testId: string, name: string) => (await page.getByTestId(testId).getAttribute(name)) ?? '';

test('a helium leak brings a time-to-failure badge and the tile to the top of the risk order', async () => {
  await signIn(page, p.url, 'biomed-user', 'password-for-biomed');
  await page.locator(`[data-testid="tile-${target}"][data-state="ok"]`).waitFor();
  await until('anomaly sparkline points', async () => Number(await attr(`anomaly-${target}`, 'data-points')) >= 2, 20000);
  // A finished one-off maintenance window on this scanner, for the marker on the scanner page.
  const win = await p.api('/api/alerts/maintenance', { method: 'POST', json: { scannerId: target, startsAt: Date.now() - 120_000, durationMs: 60_000, comment: 'cold-head service', createdBy: 'admin' } });
  assert.equal(win.status, 201, await win.text());

  assert.ok(p.simulator?.injectFault(target, 'helium_leak', 1));
  const badge = page.getByTestId(`ttf-${target}`);
  await badge.waitFor({ timeout: 30000 });
  // The leak shows first in boil-off (past its limit at once) or in the level itself, whichever is sooner.
  assert.match((await badge.textContent()) ?? '', /^Helium (level < 50 %|boil-off > 2 L\/day) (in \d+(\.\d)? (s|min|h|d)|now)$/);
  await page.getByTestId('fleet-sort').selectOption('risk');
  await until('the leaking scanner first by risk', async () => (await page.locator('[data-testid^="tile-"]').first().getAttribute('data-testid')) === `tile-${target}`);
  await page.screenshot({ path: `${ARTIFACTS}/fleet-forecast.png`, fullPage: true });
});

test('the scanner page shows the anomaly score, the forecast, markers and the status timeline', async () => {
  await page.getByTestId(`tile-${target}`).locator('a.name').click();
  await page.getByTestId('status-timeline').waitFor({ timeout: 20000 });
  assert.ok(await page.locator('[data-testid="status-timeline"] .seg[data-state="up"]').count() >= 1, 'no "up" segment on the status timeline');
  const chart = 'scanner-chart';
  // The helium level (the tile's first metric, the page's default) heads for its 50 % limit.
  await until('the helium level forecast line', async () => (await attr(chart, 'data-forecast')) === 'true', 30000);
  assert.match((await page.getByTestId('forecasts').textContent()) ?? '', /Helium level < 50 %/);
  await until('a maintenance marker', async () => Number(await attr(chart, 'data-maintenance-markers')) >= 1);
  assert.ok(await page.locator('.maintenance-marker').count() >= 1, 'maintenance area not drawn');
  await until('an alert marker', async () => Number(await attr(chart, 'data-alert-markers')) >= 1, 30000);
  assert.ok(await page.locator('.alert-marker').count() >= 1, 'alert marker not drawn');
  assert.ok(Number(await attr('anomaly-chart', 'data-points')) >= 2, 'no anomaly score on the scanner page');
  assert.ok(await page.getByTestId('alert-list').locator('li').count() >= 1, 'empty alert history');
  await page.screenshot({ path: `${ARTIFACTS}/scanner-forecast.png`, fullPage: true });

  await page.getByTestId('range-1h').click();
  await until('hourly range loaded', async () => /buckets of/.test((await page.getByTestId('series-status').textContent()) ?? ''));
  await page.getByTestId('status-timeline').waitFor();
  await until('the seeded hour on the chart', async () => Number(await attr(chart, 'data-points')) > 60);
  await until('the seeded anomaly scores', async () => Number(await attr('anomaly-chart', 'data-points')) > 60);
  for (const state of ['up', 'maintenance', 'degraded']) {
    await page.locator(`[data-testid="status-timeline"] .seg[data-state="${state}"]`).first().waitFor({ state: 'attached' });
  }
  assert.ok(Number(await attr(chart, 'data-maintenance-markers')) >= 2, 'the planned maintenance of the timeline is not marked');
  assert.match(page.url(), /range=1h/);
  await page.screenshot({ path: `${ARTIFACTS}/scanner-history-1h.png`, fullPage: true });
});
