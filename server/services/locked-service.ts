// The start sequence shared by the private influxd and Mosquitto: lock the folder, stop a leftover of a
// killed predecessor still serving this folder's config, only then write the config, and start the
// service guarded (dies with us) and supervised (restarted with backoff after a crash).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../lib/atomic-file.js';
import type { Logger } from '../../lib/logger.js';
import { lockDir } from './dir-lock.js';
import { launchGuarded, stopLeftovers } from './process-guard.js';
import { Supervisor, type Backoff, type ServiceState } from './supervisor.js';

export interface ServiceControls {
  /** Supervision state: up, pid, restarts after crashes, last exit. */
  state(): ServiceState;
  /** Stops it for good and releases the folder. */
  stop(): Promise<void>;
  /** Kills the process without deleting data (used to simulate an outage); not restarted until restart(). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
}

export interface LockedServiceSpec {
  name: string;
  dir: string;
  binary: string;
  /** The flag that precedes the config path on the command line (how leftovers are recognised). */
  configFlag: string;
  configFile: string;
  configText: string;
  subdirs?: readonly string[];
  ready: () => Promise<boolean>;
  timeoutMs: number;
  backoff?: Backoff | undefined;
  log?: Logger | undefined;
  onRestart?: (() => void) | undefined;
}

export async function startLockedService(spec: LockedServiceSpec): Promise<ServiceControls> {
  const lock = lockDir(spec.dir, `a private ${spec.name}`);
  try {
    const confPath = join(spec.dir, spec.configFile);
    const leftovers = await stopLeftovers(spec.binary, spec.configFlag, confPath);
    if (leftovers.length > 0) spec.log?.warn({ pids: leftovers, dir: spec.dir }, `stopped ${spec.name} left running on this folder by a killed predecessor`);
    for (const sub of spec.subdirs ?? []) mkdirSync(join(spec.dir, sub), { recursive: true });
    writeFileAtomicSync(confPath, spec.configText);
    const supervisor = new Supervisor({
      name: spec.name, backoff: spec.backoff, log: spec.log, onRestart: spec.onRestart,
      launch: () => launchGuarded({ what: spec.name, binary: spec.binary, args: [spec.configFlag, confPath], logPath: join(spec.dir, `${spec.name}.log`), ready: spec.ready, timeoutMs: spec.timeoutMs }),
    });
    await supervisor.start();
    return {
      state: () => supervisor.state(),
      stop: async () => { try { await supervisor.stop(); } finally { lock.release(); } },
      kill: (signal) => supervisor.kill(signal),
      restart: () => supervisor.restart(),
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}
