// A private InfluxDB 1.x process: its own config, data folder and port, so a fresh machine (or a test)
// needs no pre-installed database. Used only when no influx.url is configured.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BINARIES, ensureBinaries } from './system-packages.js';
import { freePort, waitFor } from '../../lib/net.js';

export interface PrivateInfluxd {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  /** Kills the process without deleting data (used to simulate an outage). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
}

/** `data`: extra [data] settings (e.g. compaction timings for a storage benchmark), as raw TOML values. */
export async function startPrivateInfluxd(opts: { dataDir: string; port?: number; data?: Readonly<Record<string, string>> }): Promise<PrivateInfluxd> {
  ensureBinaries([BINARIES.influxd]);
  const dir = resolve(opts.dataDir);
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  for (const sub of ['meta', 'data', 'wal']) mkdirSync(join(dir, sub), { recursive: true });
  const confPath = join(dir, 'influxdb.conf');
  writeFileSync(confPath, [
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${await freePort()}"`,
    '[meta]', `  dir = "${join(dir, 'meta')}"`,
    '[data]', `  dir = "${join(dir, 'data')}"`, `  wal-dir = "${join(dir, 'wal')}"`, '  query-log-enabled = false', '  index-version = "tsi1"',
    ...Object.entries(opts.data ?? {}).map(([k, v]) => `  ${k} = ${v}`),
    '[http]', `  bind-address = "127.0.0.1:${port}"`, '  log-enabled = false', '  max-body-size = 0',
    '[monitor]', '  store-enabled = false',
    '[continuous_queries]', '  run-interval = "10s"',
    '',
  ].join('\n'));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const log = openSync(join(dir, 'influxd.log'), 'a');
    child = spawn(BINARIES.influxd.binary, ['-config', confPath], { stdio: ['ignore', log, log] });
    const proc = child;
    let exited = false;
    proc.once('exit', () => { exited = true; });
    await waitFor(`influxd on port ${port} (log: ${join(dir, 'influxd.log')})`, async () => {
      if (exited) throw new Error(`influxd exited at start; see ${join(dir, 'influxd.log')}`);
      const res = await fetch(`${url}/ping`);
      return res.status === 204;
    }, 30000);
  };

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((r) => { proc.once('exit', () => r()); proc.kill(signal); });
  };

  await launch();
  return {
    url, port, dataDir: dir,
    stop: () => kill('SIGTERM'),
    kill,
    restart: launch,
  };
}
