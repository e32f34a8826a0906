// An exclusive lock on a private data folder (Gantry's data dir, a private influxd's or Mosquitto's folder):
// a `.lock` file naming the owner by pid AND kernel start time, created with O_EXCL. A second owner is
// refused while the first is alive; a lock left by a dead (e.g. SIGKILLed) owner is taken over. The start
// time matters: after a reboot or a long run, the dead owner's pid may belong to an unrelated process,
// which must not keep the folder locked for ever. Node has no flock(), and a lock file the operator can
// read (`cat data/.lock`) also says who holds the folder.
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { processStartTime } from './process-guard.js';

interface LockOwner { pid: number; startTime: string | undefined; what: string; since: string }

export class DirLockedError extends Error {
  constructor(readonly dir: string, readonly owner: LockOwner) {
    super(`${dir} is in use by ${owner.what} (pid ${owner.pid}, since ${owner.since}): `
      + 'stop that process first, or give this one another data folder (GANTRY_DATA_DIR). '
      + 'Two servers on one data folder would corrupt it.');
  }
}

export interface DirLock { path: string; release(): void }

// Locks this process holds, so a second start inside the same process (tests run several platforms) is
// refused too: the pid check alone would call them the same owner.
const heldHere = new Set<string>();

function ownerAlive(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return false; // our own lock, not in heldHere: left by a failed start
  if (process.platform === 'linux') return owner.startTime !== undefined && processStartTime(owner.pid) === owner.startTime;
  try { process.kill(owner.pid, 0); return true; } catch { return false; }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof v.pid === 'number' ? { pid: v.pid, startTime: v.startTime, what: v.what ?? 'another process', since: v.since ?? '?' } : undefined;
  } catch {
    return undefined; // unreadable or half-written (owner killed while writing it): stale
  }
}

function tryCreate(path: string, owner: LockOwner): boolean {
  try {
    const fd = openSync(path, 'wx', 0o644);
    try { writeSync(fd, JSON.stringify(owner)); } finally { closeSync(fd); }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the lock on `dir` for this process, or throws DirLockedError naming the live owner. */
export function lockDir(dir: string, what: string): DirLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, '.lock');
  const me: LockOwner = { pid: process.pid, startTime: processStartTime(process.pid), what, since: new Date().toISOString() };
  if (heldHere.has(path)) throw new DirLockedError(dir, readOwner(path) ?? me);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path, me)) {
      heldHere.add(path);
      let released = false;
      return {
        path,
        release: () => {
          if (released) return;
          released = true;
          heldHere.delete(path);
          // Only remove the file if it is still ours (never another owner's after a takeover).
          if (readOwner(path)?.pid === me.pid) unlinkSync(path);
        },
      };
    }
    const owner = readOwner(path);
    if (owner && ownerAlive(owner)) throw new DirLockedError(dir, owner);
    // Stale: its owner is dead. Re-read just before removing, so a lock another starter has just taken over
    // is not removed (the window left is a few microseconds between two starts racing on one dead lock).
    const again = readOwner(path);
    if (again && owner && (again.pid !== owner.pid || again.startTime !== owner.startTime)) continue;
    try { unlinkSync(path); } catch { /* already removed by the other starter */ }
  }
  throw new Error(`could not take the lock ${path}`);
}
