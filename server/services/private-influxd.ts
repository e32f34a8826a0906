// A private InfluxDB 1.x process: its own config, data folder and port, so a fresh machine (or a test)
// needs no pre-installed database. Used only when no influx.url is configured.
// InfluxDB 1.x takes no lock of its own: two influxd on one folder corrupt it (seen: "snappy: corrupt
// input" in a WAL segment). So the folder is locked first, a leftover influxd still serving this folder's
// config is stopped, and only then is the config written and influxd started — supervised (restarted with
// backoff after a crash) and guarded (killed by the kernel if this process dies; see process-guard.ts).
import { join, resolve } from 'node:path';
import { BINARIES, ensureBinaries } from './system-packages.js';
import { freePort } from '../../lib/net.js';
import type { Backoff } from './supervisor.js';
import { startLockedService, type ServiceControls } from './locked-service.js';
import type { Logger } from '../../lib/logger.js';

export interface PrivateInfluxd extends ServiceControls {
  url: string;
  port: number;
  dataDir: string;
}

export interface PrivateInfluxdOptions {
  dataDir: string;
  port?: number;
  /** Extra [data] settings (e.g. compaction timings for a storage benchmark), as raw TOML values. */
  data?: Readonly<Record<string, string>>;
  backoff?: Backoff;
  log?: Logger;
  onRestart?: () => void;
}

async function configText(dir: string, port: number, data: Readonly<Record<string, string>>): Promise<string> {
  return [
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${await freePort()}"`,
    '[meta]', `  dir = "${join(dir, 'meta')}"`,
    '[data]', `  dir = "${join(dir, 'data')}"`, `  wal-dir = "${join(dir, 'wal')}"`, '  query-log-enabled = false', '  index-version = "tsi1"',
    ...Object.entries(data).map(([k, v]) => `  ${k} = ${v}`),
    '[http]', `  bind-address = "127.0.0.1:${port}"`, '  log-enabled = false', '  max-body-size = 0',
    '[monitor]', '  store-enabled = false',
    '[continuous_queries]', '  run-interval = "10s"',
    '',
  ].join('\n');
}

export async function startPrivateInfluxd(opts: PrivateInfluxdOptions): Promise<PrivateInfluxd> {
  ensureBinaries([BINARIES.influxd]);
  const dir = resolve(opts.dataDir);
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const controls = await startLockedService({
    name: 'influxd', dir, binary: BINARIES.influxd.binary, configFlag: '-config', configFile: 'influxdb.conf',
    configText: await configText(dir, port, opts.data ?? {}), subdirs: ['meta', 'data', 'wal'],
    ready: async () => (await fetch(`${url}/ping`)).status === 204, timeoutMs: 30000,
    backoff: opts.backoff, log: opts.log, onRestart: opts.onRestart,
  });
  return { ...controls, url, port, dataDir: dir };
}
