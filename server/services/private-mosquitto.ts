// A private Mosquitto broker (tests and benchmarks): own config, persistence folder and port. Queue limits
// are raised because Mosquitto silently drops QoS 1 messages beyond max_queued_messages (see
// docs/platform.md), which would look like data loss in Gantry.
// Locked, guarded and supervised like the private influxd (see private-influxd.ts): a test or bench that
// crashes leaves no broker behind, and a broker that crashes is restarted with backoff.
import { resolve } from 'node:path';
import { connect } from 'node:net';
import { BINARIES, ensureBinaries } from './system-packages.js';
import { freePort } from '../../lib/net.js';
import type { Backoff } from './supervisor.js';
import { startLockedService, type ServiceControls } from './locked-service.js';

export interface PrivateMosquitto extends ServiceControls {
  url: string;
  port: number;
}

function configLines(dir: string, port: number, extra: readonly string[]): string {
  return [
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
    // folder: sessions and queued messages would then silently not survive a restart. (Changing user would
    // also clear the parent-death signal that makes the broker die with us.)
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    ...extra,
    '',
  ].join('\n');
}

const accepts = (port: number) => (): Promise<boolean> => new Promise((res) => {
  const s = connect(port, '127.0.0.1', () => { s.end(); res(true); });
  s.on('error', () => res(false));
});

export async function startPrivateMosquitto(opts: { dir: string; port?: number; extraConfig?: string[]; backoff?: Backoff }): Promise<PrivateMosquitto> {
  ensureBinaries([BINARIES.mosquitto]);
  const dir = resolve(opts.dir);
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const controls = await startLockedService({
    name: 'mosquitto', dir, binary: BINARIES.mosquitto.binary, configFlag: '-c', configFile: 'mosquitto.conf',
    configText: configLines(dir, port, opts.extraConfig ?? []), ready: accepts(port), timeoutMs: 10000, backoff: opts.backoff,
  });
  return { ...controls, url: `mqtt://127.0.0.1:${port}`, port };
}
