// `npm start` run for real as a child process, with the simulated fleet backfilling history and the simulated
// PACS on, stopped the way a service manager stops it: SIGTERM to the npm process. It must stop everything in
// order and exit 0 within seconds, leaving no process behind. Leftovers are found through /proc, independently
// of Gantry: a process whose command line names the data folder (influxd) or whose environment does (the
// Gantry node process itself, which npm's `sh -c` layer used to orphan instead of passing the signal on).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from '../../lib/net.js';
import { tempDir } from '../support/platform.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = tempDir('shutdown');

/** Processes (other than zombies) whose command line or environment names the data folder. */
function leftovers(): number[] {
  const mark = `GANTRY_DATA_DIR=${dataDir}\0`;
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir)) return true;
      return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(mark);
    } catch { return false; }
  });
}

function commandOf(pid: number): string {
  try { return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`; } catch { return `${pid}: (gone)`; }
}

after(() => {
  for (const pid of leftovers()) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

test('SIGTERM to `npm start` with the fleet simulator backfilling stops everything and exits 0', { timeout: 120_000 }, async () => {
  const [http, mqtt] = [await freePort(), await freePort()];
  const env = {
    ...process.env, GANTRY_DATA_DIR: dataDir, GANTRY_HTTP_PORT: String(http), GANTRY_MQTT_EMBEDDED_PORT: String(mqtt),
    // A day at a 1-minute step: long enough that SIGTERM lands while the backfill still publishes.
    GANTRY_SIMULATOR_ENABLED: 'true', GANTRY_SIMULATOR_BACKFILL_DAYS: '1', GANTRY_SIMULATOR_BACKFILL_STEP_S: '60',
    GANTRY_PACS_SIMULATOR_ENABLED: 'true', GANTRY_MODELS_ENABLED: 'false', GANTRY_LOG_LEVEL: 'info',
  };
  const npm = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  npm.stderr.on('data', (b: Buffer) => { out += b.toString(); });
  const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));

  await waitFor('Gantry healthy', async () => {
    if (npm.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    const res = await fetch(`http://127.0.0.1:${http}/health`);
    return res.ok && ((await res.json()) as { status: string }).status === 'ok';
  }, 90_000, 200);
  assert.ok(leftovers().length >= 2, 'Gantry and its influxd run on the data folder');

  const t0 = performance.now();
  npm.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000).unref())]);
  assert.notEqual(code, 'hung', `npm start did not exit within 20 s of SIGTERM:\n${out.slice(-3000)}`);
  assert.equal(code, 0, `exit code 0 after SIGTERM:\n${out.slice(-3000)}`);
  assert.match(out, /"signal":"SIGTERM","msg":"shutting down"/, 'Gantry itself got the signal');
  // Children are reaped a moment after the parent's exit event.
  await waitFor('no process left on the data folder', () => Promise.resolve(leftovers().length === 0), 3000).catch(() => undefined);
  assert.deepEqual(leftovers().map(commandOf), [], 'no process left on the data folder');
  process.stdout.write(`# stopped in ${Math.round(performance.now() - t0)} ms\n`);
});
