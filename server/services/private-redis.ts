// A private redis-server (tests and benchmarks of several Gantry instances): own folder, loopback port, no
// persistence to the system's /var/lib/redis. Gantry itself never starts Redis: a cluster is configured with
// cluster.redisUrl pointing at the operator's Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect } from 'node:net';
import { BINARIES, ensureBinaries } from './system-packages.js';
import { freePort, waitFor } from '../../lib/net.js';

export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startPrivateRedis(opts: { dir: string; port?: number }): Promise<PrivateRedis> {
  ensureBinaries([BINARIES.redis]);
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const conf = join(dir, 'redis.conf');
  writeFileSync(conf, [
    `port ${port}`, 'bind 127.0.0.1', 'protected-mode yes', `dir ${dir}`, 'save ""', 'appendonly no',
    'daemonize no', `logfile ${join(dir, 'redis.log')}`, '',
  ].join('\n'));
  const log = openSync(join(dir, 'redis.out'), 'a');
  const child: ChildProcess = spawn(BINARIES.redis.binary, [conf], { stdio: ['ignore', log, log] });
  await waitFor(`redis-server on ${port}`, () => new Promise((res) => {
    const s = connect(port, '127.0.0.1', () => { s.end(); res(true); });
    s.on('error', () => res(false));
  }), 10000, 50);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); });
  };
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}
