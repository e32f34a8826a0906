// Starts a real Gantry platform for a test: private InfluxDB, embedded broker (or the given broker URL),
// free ports and a temporary data folder that is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config/load.js';
import { createLogger } from '../../server/lib/logger.js';
import { startPlatform, type Platform } from '../../server/platform.js';
import { sleep } from '../../server/lib/net.js';

export interface TestPlatform extends Platform { dataDir: string; close(): Promise<void> }

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gantry-${prefix}-`));
}

export async function startTestPlatform(overrides: Record<string, unknown> = {}): Promise<TestPlatform> {
  const dataDir = tempDir('platform');
  const config = loadConfig({}, {
    dataDir, 'http.port': 0, 'mqtt.embeddedPort': 0, 'influx.flushIntervalMs': 50,
    'mqtt.clientId': `gantry-test-${process.pid}-${Math.round(Math.random() * 1e9)}`,
    'log.level': process.env.GANTRY_TEST_LOG ?? 'silent', ...overrides,
  });
  const platform = await startPlatform(config, createLogger(config.log.level));
  return {
    ...platform, dataDir,
    close: async () => { await platform.stop(); rmSync(dataDir, { recursive: true, force: true }); },
  };
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
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : NaN;
}
