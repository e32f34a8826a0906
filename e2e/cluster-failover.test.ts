// Issue 18, the dashboard's side of a failover: two Gantry servers (child processes) on one private
// Mosquitto, Redis and InfluxDB behind a TCP proxy playing the load balancer. A real Chromium signs in
// through the proxy and lands on the first instance, which is also the leader; that instance is SIGKILLed.
// The page shows it is reconnecting, then live again on the survivor by itself (no reload), and a threshold
// alert raised after the kill (readings published over MQTT, evaluated by the new leader) appears in it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startInstance } from '../scripts/bench/cluster-instances.js';
import { publishHot, startClusterServices, type ClusterServices } from '../test/support/cluster.js';
import { eventually } from '../test/support/platform.js';
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy.js';
import { ARTIFACTS, launchBrowser, signIn, until } from './support/browser.js';

let cs: ClusterServices;
let proxy: TcpProxy | undefined;
let browser: Browser | undefined;

before(async () => { [cs, browser] = await Promise.all([startClusterServices('e2e-ha'), launchBrowser()]); });
after(async () => { await browser?.close(); await proxy?.close(); await cs?.stop(); });

interface PageGlobals {
  document: { querySelector(sel: string): { textContent: string | null } | null };
  MutationObserver: new (cb: () => void) => { observe(target: unknown, opts: Record<string, boolean>): void };
  connSeen?: string[];
}

const portOf = (url: string) => Number(new URL(url).port);

test('the page reconnects to the surviving instance by itself and shows an alert raised after the kill', { timeout: 90_000 }, async () => {
  const a = await startInstance('a', cs.shared);
  cs.instances.push(a);
  await eventually('a leads', () => cs.leader(), (l) => l === 'a');
  const b = await startInstance('b', cs.shared);
  cs.instances.push(b);
  proxy = await startTcpProxy([{ host: '127.0.0.1', port: portOf(a.url) }, { host: '127.0.0.1', port: portOf(b.url) }]);
  const lb = proxy;

  const page = await (browser as Browser).newPage();
  await signIn(page, lb.url, 'admin', ADMIN_PASSWORD);
  const connection = page.getByTestId('connection');
  await connection.filter({ hasText: /^live$/ }).waitFor({ timeout: 15_000 });
  assert.ok(lb.open(portOf(a.url)) > 0, 'the browser talks to a');
  assert.equal(lb.open(portOf(b.url)), 0, 'and not to b');
  // Every text the indicator shows from now on, in order (recorded in the page, so no state is missed
  // between two polls).
  await page.evaluate(() => {
    // Typed by hand: this file is compiled without the DOM library.
    const g = globalThis as unknown as PageGlobals;
    const el = g.document.querySelector('[data-testid="connection"]');
    const seen: string[] = [];
    g.connSeen = seen;
    if (el) new g.MutationObserver(() => { seen.push(el.textContent ?? ''); }).observe(el, { childList: true, characterData: true, subtree: true });
  });
  const seen = () => page.evaluate(() => (globalThis as unknown as PageGlobals).connSeen ?? []);

  const killedAt = Date.now();
  await a.kill('SIGKILL');
  await until('the page says it is reconnecting, then live again', async () => {
    const s = await seen();
    const i = s.indexOf('reconnecting…');
    return i >= 0 && s.indexOf('live', i) > i;
  }, 30_000);
  await connection.filter({ hasText: /^live$/ }).waitFor({ timeout: 15_000 });
  const liveAfterMs = Date.now() - killedAt;
  assert.ok(lb.open(portOf(b.url)) > 0, 'the page is now connected to b');
  await eventually('b takes over the lease', () => cs.leader(), (l) => l === 'b', 15_000);

  // Published after the kill: only b can evaluate it, and only the socket to b can bring it to the page.
  const hotAt = Date.now();
  const publishing = publishHot(cs.mosq.url, 'hot-1', 15);
  const alert = page.locator('[data-testid$=":hot-1"][data-state="firing"]');
  await alert.first().waitFor({ timeout: 20_000 });
  await publishing;
  // Figures, not assertions (the alert's rule has a 1 s "for").
  process.stdout.write(`# page live again ${liveAfterMs} ms after the kill; alert on the page ${Date.now() - hotAt} ms after the first hot reading\n`);
  assert.match(await alert.first().getAttribute('data-testid') ?? '', /^alert-catalog\.ct\.tube_temp_c\./);
  await page.screenshot({ path: `${ARTIFACTS}/cluster-failover-alert.png`, fullPage: true });
  assert.deepEqual(await seen(), ['reconnecting…', 'live'], 'one reconnection, no reload');
  await page.close();
});
