// Gantry runs here as a real child process (node server/main.ts), so it can be SIGKILLed like an operator
// or the OOM killer would. Checked through /proc, independently of Gantry's own process scanning: a second
// Gantry on a data folder in use is refused without touching it; a SIGKILLed Gantry takes its influxd with
// it; a new start on the folder stops an influxd left running by a predecessor, so exactly one serves the
// folder, and the data written before is still there.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo } from 'node:net';
import { freePort, waitFor } from '../../lib/net.js';
import { tempDir } from '../support/platform.js';
import { parentOf, processesWithConfig } from '../support/processes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = tempDir('supervision');
const conf = join(dataDir, 'influxdb', 'influxdb.conf');
const started: ChildProcess[] = [];
let ports: { http: number; mqtt: number; influx: number };

interface Gantry { proc: ChildProcess; output: () => string; exited: Promise<number | null> }

function startGantry(p: { http: number; mqtt: number; influx: number }, dir = dataDir): Gantry {
  const env = {
    ...process.env, GANTRY_DATA_DIR: dir, GANTRY_HTTP_PORT: String(p.http), GANTRY_MQTT_EMBEDDED_PORT: String(p.mqtt),
    GANTRY_INFLUX_PORT: String(p.influx), GANTRY_LOG_LEVEL: 'warn', GANTRY_MODELS_ENABLED: 'false', GANTRY_SIMULATOR_ENABLED: 'false',
    GANTRY_AUTH_INITIAL_ADMIN_PASSWORD: 'supervision-admin-pw-1',
  };
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'main.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  let out = '';
  proc.stdout?.on('data', (b: Buffer) => { out += b.toString(); });
  proc.stderr?.on('data', (b: Buffer) => { out += b.toString(); });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, output: () => out, exited };
}

async function healthy(g: Gantry, port: number): Promise<void> {
  await waitFor(`Gantry healthy on ${port}`, async () => {
    if (g.proc.exitCode !== null) throw new Error(`Gantry exited: ${g.output()}`);
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    return res.ok && ((await res.json()) as { status: string }).status === 'ok';
  }, 40000, 200);
}

const influxdsServing = (): number[] => processesWithConfig('influxd', conf);

const influxUrl = () => `http://127.0.0.1:${ports.influx}`;
async function probeValue(): Promise<number | undefined> {
  const q = encodeURIComponent('SELECT "value" FROM "gantry"."raw"."supervision_probe"');
  const body = await (await fetch(`${influxUrl()}/query?q=${q}`)).json() as { results: { series?: { values: [string, number][] }[] }[] };
  return body.results[0]?.series?.[0]?.values[0]?.[1];
}

before(async () => { ports = { http: await freePort(), mqtt: await freePort(), influx: await freePort() }; });
after(async () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const pid of influxdsServing()) process.kill(pid, 'SIGKILL');
  await waitFor('influxd gone', async () => influxdsServing().length === 0, 10000).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

let first: Gantry;

test('a second Gantry on a data folder in use is refused and touches nothing', { timeout: 90000 }, async () => {
  first = startGantry(ports);
  await healthy(first, ports.http);
  const write = await fetch(`${influxUrl()}/write?db=gantry&rp=raw&precision=ms`, { method: 'POST', body: `supervision_probe value=42 ${Date.now()}` });
  assert.equal(write.status, 204);
  const confBefore = readFileSync(conf, 'utf8');

  const second = startGantry({ http: await freePort(), mqtt: await freePort(), influx: await freePort() });
  const code = await Promise.race([second.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 30000))]);
  assert.equal(code, 1, `the second Gantry must refuse to start; output: ${second.output()}`);
  assert.match(second.output(), /in use by a Gantry server \(pid \d+/);
  assert.equal(readFileSync(conf, 'utf8'), confBefore, 'the live folder\'s influxd config was not rewritten');
  assert.deepEqual(influxdsServing().length, 1, 'still exactly one influxd on the folder');
});

test('a start on a busy MQTT port fails before it starts an influxd or writes its config', { timeout: 60000 }, async () => {
  const other = tempDir('supervision-busy');
  const squatter = createServer();
  await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', () => r()));
  try {
    const g = startGantry({ http: await freePort(), mqtt: (squatter.address() as AddressInfo).port, influx: await freePort() }, other);
    assert.equal(await g.exited, 1);
    assert.match(g.output(), /MQTT port 127\.0\.0\.1:\d+ is in use/);
    assert.equal(existsSync(join(other, 'influxdb', 'influxdb.conf')), false, 'no influxd config written');
    assert.equal(existsSync(join(other, '.lock')), false, 'the lock is released');
  } finally {
    squatter.close();
    rmSync(other, { recursive: true, force: true });
  }
});

test('children die with Gantry when it is SIGKILLed', { timeout: 30000 }, async () => {
  const [child] = influxdsServing();
  assert.ok(child, 'the first Gantry runs an influxd');
  assert.equal(parentOf(child), first.proc.pid, 'influxd is a direct child of Gantry');
  first.proc.kill('SIGKILL');
  await first.exited;
  await waitFor('influxd to die with its Gantry', async () => influxdsServing().length === 0, 5000, 50);
});

test('SIGKILL then a new start: a leftover influxd is stopped, exactly one serves the folder, data intact', { timeout: 90000 }, async () => {
  // A predecessor killed before this supervision existed (or without setpriv) left its influxd running.
  const leftover = spawn('/usr/bin/influxd', ['-config', conf], { stdio: 'ignore', detached: true });
  leftover.unref();
  await waitFor('leftover influxd serving', async () => (await fetch(`${influxUrl()}/ping`)).status === 204, 20000);
  assert.equal(await probeValue(), 42);

  const next = startGantry(ports);
  await healthy(next, ports.http);
  const serving = influxdsServing();
  assert.equal(serving.length, 1, `exactly one influxd on the folder, found ${serving.join(', ')}`);
  assert.notEqual(serving[0], leftover.pid, 'the leftover was stopped');
  assert.equal(parentOf(serving[0] as number), next.proc.pid, 'the one influxd is the new Gantry\'s child');
  assert.equal(await probeValue(), 42, 'data written before the kill is still queryable');

  next.proc.kill('SIGTERM');
  assert.equal(await next.exited, 0, 'a clean stop');
  assert.deepEqual(influxdsServing(), []);
  assert.throws(() => readFileSync(join(dataDir, '.lock')), /ENOENT/, 'the lock is released on a clean stop');
});
