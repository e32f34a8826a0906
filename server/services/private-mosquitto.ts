// A private Mosquitto broker (tests and benchmarks): own config, persistence folder and port. Queue limits
// are raised because Mosquitto silently drops QoS 1 messages beyond max_queued_messages (see
// docs/platform.md), which would look like data loss in Gantry.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect } from 'node:net';
import { BINARIES, ensureBinaries } from './system-packages.js';
import { freePort, waitFor } from '../../lib/net.js';

export interface PrivateMosquitto {
  url: string;
  port: number;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

export async function startPrivateMosquitto(opts: { dir: string; port?: number; extraConfig?: string[] }): Promise<PrivateMosquitto> {
  ensureBinaries([BINARIES.mosquitto]);
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence true',
    `persistence_location ${dir}/`,
    'autosave_interval 1',
    'max_queued_messages 0',
    'max_queued_bytes 0',
    'max_inflight_messages 100',
    'log_dest none',
    // Started as root, Mosquitto drops to user "mosquitto", which cannot write the persistence file in our
    // folder: sessions and queued messages would then silently not survive a restart.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    ...(opts.extraConfig ?? []),
    '',
  ].join('\n'));
  let child: ChildProcess | undefined;
  const launch = async () => {
    const log = openSync(join(dir, 'mosquitto.log'), 'a');
    child = spawn(BINARIES.mosquitto.binary, ['-c', conf], { stdio: ['ignore', log, log] });
    await waitFor(`mosquitto on ${port}`, () => new Promise((res) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); res(true); });
      s.on('error', () => res(false));
    }), 10000, 50);
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((r) => { proc.once('exit', () => r()); proc.kill(signal); });
  };
  await launch();
  return { url: `mqtt://127.0.0.1:${port}`, port, stop: () => kill('SIGTERM'), kill, restart: launch };
}
