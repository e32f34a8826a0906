// Starts a real Gantry platform for a test: private InfluxDB, embedded broker (or the given broker URL),
// free ports and a temporary data folder that is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config/load.js';
import { createLogger } from '../../lib/logger.js';
import { startPlatform, type Platform } from '../../server/platform.js';
import { sleep } from '../../lib/net.js';

/** Password of the admin every test platform creates at first start (config auth.initialAdminPassword). */
export const TEST_ADMIN_PASSWORD = 'test-admin-password-1';

export interface TestPlatform extends Platform {
  dataDir: string;
  /** Session cookie header of the admin (`gantry_session=...`). */
  adminCookie: string;
  /** Logs in and returns the Cookie header value. */
  login(username: string, password: string): Promise<string>;
  /** Fetch against the platform as admin (or with the given headers). */
  api(path: string, init?: RequestInit & { json?: unknown; cookie?: string }): Promise<Response>;
  close(): Promise<void>;
}

// /metrics needs an API token with the metrics scope; metricValue() finds the one of each test platform here.
const metricsTokens = new Map<string, string>();

async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gantry_session='));
  if (!cookie) throw new Error('login set no session cookie');
  return cookie.split(';')[0] as string;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gantry-${prefix}-`));
}

/** Optional: `logLines` receives every log line (JSON text) of the platform, whatever the test log level. */
export async function startTestPlatform(overrides: Record<string, unknown> = {}, opts: { logLines?: string[] } = {}): Promise<TestPlatform> {
  const dataDir = tempDir('platform');
  const config = loadConfig({}, {
    dataDir, 'http.port': 0, 'mqtt.embeddedPort': 0, 'influx.flushIntervalMs': 50,
    'mqtt.clientId': `gantry-test-${process.pid}-${Math.round(Math.random() * 1e9)}`,
    'log.level': process.env.GANTRY_TEST_LOG ?? 'silent', 'auth.initialAdminPassword': TEST_ADMIN_PASSWORD,
    // Tests of other domains publish with bare MQTT clients; the broker's credential checks have their own
    // test (test/server/broker-auth.test.ts), which turns this off.
    'mqtt.allowAnonymous': true, ...overrides,
  });
  const lines = opts.logLines;
  const log = lines ? createLogger('info', { write: (l: string) => { lines.push(l); } }) : createLogger(config.log.level);
  const platform = await startPlatform(config, log);
  try {
    const adminCookie = await login(platform.url, 'admin', config.auth.initialAdminPassword || TEST_ADMIN_PASSWORD);
    const api: TestPlatform['api'] = (path, init = {}) => {
      const { json, cookie, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('authorization') && cookie !== '') headers.set('cookie', cookie ?? adminCookie);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${platform.url}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    };
    const tokenRes = await api('/api/tokens', { method: 'POST', json: { name: 'test metrics', role: 'viewer', scopes: ['metrics'] } });
    metricsTokens.set(platform.url, ((await tokenRes.json()) as { token: string }).token);
    return {
      ...platform, dataDir, adminCookie, api,
      login: (u, pw) => login(platform.url, u, pw),
      close: async () => { metricsTokens.delete(platform.url); await platform.stop(); rmSync(dataDir, { recursive: true, force: true }); },
    };
  } catch (err) {
    await platform.stop();
    throw err;
  }
}

/** Polls until `fn` returns a value that satisfies `ok`, and returns it; fails with the last value seen. */
export async function eventually<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (ok(last)) return last;
    } catch (err) { lastErr = err; }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}${lastErr ? `; last error: ${String(lastErr)}` : ''}`);
}

/** Reads one counter/gauge from the Prometheus text of /metrics. */
export async function metricValue(url: string, name: string, labels = ''): Promise<number> {
  const token = metricsTokens.get(url);
  const text = await (await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {})).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : NaN;
}
