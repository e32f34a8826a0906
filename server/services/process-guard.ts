// Spawning private services so that they cannot outlive the process that started them, and finding
// leftovers of a predecessor that was killed before this guard existed (or on a machine without setpriv).
//
// Why PR_SET_PDEATHSIG (through util-linux `setpriv --pdeathsig KILL`, which sets it and then execs the
// service) rather than a watchdog process polling our pid: the kernel delivers the signal the moment our
// process dies, whatever killed it (SIGKILL and OOM included), with no polling gap, no extra process to
// keep alive, and the service keeps its own pid (setpriv execs it), so exit events, kill() and the /proc
// ownership checks below all see the real service. Limits (documented in docs/deployment.md): the signal
// follows the *thread* that spawned the child, so services must be started from the main thread (they are);
// it is cleared when the child changes its user id (our Mosquitto config keeps root as root).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { sleep, waitFor } from '../../lib/net.js';

const SETPRIV = '/usr/bin/setpriv';
let warnedNoSetpriv = false;

function spawnUnderPdeathsig(binary: string, args: readonly string[], opts: SpawnOptions): ChildProcess {
  if (process.platform === 'linux' && existsSync(SETPRIV)) {
    return spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', binary, ...args], opts);
  }
  if (!warnedNoSetpriv) {
    warnedNoSetpriv = true;
    process.stderr.write(`[gantry] ${SETPRIV} not found (util-linux): private services will not stop if Gantry is killed with SIGKILL\n`);
  }
  return spawn(binary, args, opts);
}

/**
 * spawn(binary, args, options), but the child is SIGKILLed when this process dies. Typed as spawn so
 * callers keep its stdio-specific return types (stdout non-null with 'pipe', …); always pass args.
 */
export const spawnGuarded = spawnUnderPdeathsig as typeof spawn;

/** argv of a running process, or undefined when it is gone or not readable. */
export function processArgv(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  } catch {
    return undefined;
  }
}

/** Kernel start time (clock ticks since boot) of a process: with the pid, it names one process for ever. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Processes whose executable name is `binary`'s and whose argv holds `configPath` right after
 * `configFlag`: the processes serving exactly this private config (hence this data folder).
 */
export function processesServing(binary: string, configFlag: string, configPath: string): number[] {
  if (process.platform !== 'linux') return [];
  const name = basename(binary);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const argv = processArgv(pid);
    if (!argv || basename(argv[0] ?? '') !== name) continue;
    const at = argv.indexOf(configFlag);
    if (at >= 0 && argv[at + 1] === configPath) found.push(pid);
  }
  return found;
}

/** Running (a zombie, already dead but not yet reaped by its parent, counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(pid: number, graceMs = 10000): Promise<void> {
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) {
    try { process.kill(pid, 'SIGKILL'); } catch { return; }
    while (alive(pid)) await sleep(20);
  }
}

/**
 * Stops every leftover `binary` still serving `configPath` (a predecessor killed without the guard). Only
 * called while holding the folder's lock, so no live Gantry can own them. Returns the pids stopped.
 */
export async function stopLeftovers(binary: string, configFlag: string, configPath: string): Promise<number[]> {
  const pids = processesServing(binary, configFlag, configPath);
  await Promise.all(pids.map((pid) => terminate(pid)));
  return pids;
}

export interface LaunchSpec {
  what: string;
  binary: string;
  args: readonly string[];
  /** stdout and stderr are appended here. */
  logPath: string;
  /** Resolves true once the service serves. */
  ready: () => Promise<boolean>;
  timeoutMs: number;
}

/**
 * Spawns a guarded service and waits until it serves. If it exits or never gets ready, what was spawned is
 * killed before the error is thrown: a failed start must not leave a half-started service on the folder.
 */
export async function launchGuarded(spec: LaunchSpec): Promise<ChildProcess> {
  const log = openSync(spec.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawnGuarded(spec.binary, spec.args, { stdio: ['ignore', log, log] });
  } finally {
    closeSync(log); // the child has its own copy of the descriptor
  }
  let exited = false;
  child.once('exit', () => { exited = true; });
  // A spawn failure (binary gone) comes as 'error' without 'exit'; unhandled, it would crash Gantry.
  child.on('error', () => { exited = true; });
  try {
    // waitFor swallows probe errors, so an early exit ends the wait by answering true, and is checked after.
    await waitFor(`${spec.what} (log: ${spec.logPath})`, async () => exited || spec.ready(), spec.timeoutMs, 50);
    if (exited) throw new Error(`${spec.what} exited at start; see ${spec.logPath}`);
  } catch (err) {
    if (!exited) await new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGKILL'); });
    throw err;
  }
  return child;
}
