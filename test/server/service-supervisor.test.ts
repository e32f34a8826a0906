// The pieces under the private services, with real processes: the data-folder lock (live owner refused,
// dead owner and recycled pid taken over, same process refused), the supervisor's growing restart delay,
// and a guarded child that dies with its SIGKILLed parent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../lib/net.js';
import { DirLockedError, lockDir } from '../../server/services/dir-lock.js';
import { processStartTime, spawnGuarded } from '../../server/services/process-guard.js';
import { Supervisor } from '../../server/services/supervisor.js';
import { tempDir } from '../support/platform.js';

const running = (pid: number): boolean => {
  try { return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z'); } catch { return false; }
};

test('the folder lock refuses a live owner and takes over from a dead one or a recycled pid', async () => {
  const dir = tempDir('lock');
  try {
    const owner = spawn('sleep', ['30']);
    const pid = owner.pid as number;
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid, startTime: processStartTime(pid), what: 'a Gantry server', since: 'then' }));
    assert.throws(() => lockDir(dir, 'test'), (err: unknown) => err instanceof DirLockedError && /in use by a Gantry server \(pid \d+/.test(err.message));

    // Same pid, other start time: the pid now names an unrelated process, the old owner is gone.
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid, startTime: '1', what: 'a Gantry server', since: 'then' }));
    const recycled = lockDir(dir, 'test');
    assert.throws(() => lockDir(dir, 'test again'), DirLockedError, 'a second lock in the same process is refused');
    recycled.release();
    assert.throws(() => readFileSync(join(dir, '.lock')), /ENOENT/);

    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid, startTime: processStartTime(pid), what: 'a Gantry server', since: 'then' }));
    await new Promise<void>((r) => { owner.once('exit', () => r()); owner.kill('SIGKILL'); });
    const taken = lockDir(dir, 'test');
    assert.equal((JSON.parse(readFileSync(join(dir, '.lock'), 'utf8')) as { pid: number }).pid, process.pid);
    taken.release();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a crashing service is restarted with a doubling delay, capped', { timeout: 20000 }, async () => {
  const launches: number[] = [];
  const exits: number[] = [];
  const sup = new Supervisor({
    name: 'crasher', backoff: { minMs: 100, maxMs: 400, stableMs: 10000 },
    launch: async () => {
      launches.push(Date.now());
      const child = spawnGuarded('sleep', ['0.05'], { stdio: 'ignore' });
      child.once('exit', () => exits.push(Date.now()));
      return child;
    },
  });
  await sup.start();
  await waitFor('5 launches', async () => launches.length >= 5, 10000, 10);
  await sup.stop();
  // From each crash to the next launch: 100, 200, 400, 400 ms (timer slack allowed on a busy machine).
  const gaps = launches.slice(1).map((t, i) => t - (exits[i] as number));
  for (const [i, want] of [100, 200, 400, 400].entries()) {
    assert.ok((gaps[i] as number) >= want - 15 && (gaps[i] as number) < want + 300, `gap ${i}: ${gaps.join(', ')} ms, want ~${want}`);
  }
  assert.ok(sup.state().restarts >= 4);
  const count = launches.length;
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(launches.length, count, 'no restart after stop()');
});

test('a guarded child dies when its parent is SIGKILLed', { timeout: 20000 }, async () => {
  // The parent is a real node process that starts a guarded `sleep` and prints its pid.
  const code = `import('${new URL('../../server/services/process-guard.ts', import.meta.url).href}').then((g) => {
    const c = g.spawnGuarded('sleep', ['60'], { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000); });`;
  const parent = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const childPid = await new Promise<number>((r) => parent.stdout.once('data', (b: Buffer) => r(Number(b.toString().trim()))));
  assert.ok(running(childPid), 'the guarded child runs');
  parent.kill('SIGKILL');
  await waitFor('the guarded child to die with its parent', async () => !running(childPid), 5000, 20);
});
