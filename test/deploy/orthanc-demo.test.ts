// The demo profile's PACS config, for real: Debian's Orthanc runs docker/orthanc/orthanc.json with only its
// folders and ports moved to a temp folder, and the credentials come from the environment exactly as the
// compose stack passes them (Orthanc expands ${ORTHANC_USERNAME} / ${ORTHANC_PASSWORD} in its config).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawnGuarded } from '../../server/services/process-guard.js';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BINARIES, ensureBinaries } from '../../server/services/system-packages.js';
import { freePort, waitFor } from '../../lib/net.js';
import { compose } from './support/compose-file.js';

const MOVED = ['StorageDirectory', 'IndexDirectory', 'HttpPort', 'DicomPort'];
let dir = '';
let orthanc: ChildProcess | undefined;
let url = '';
const env = compose.services.orthanc?.environment ?? {};

before(async () => {
  ensureBinaries([BINARIES.orthanc]);
  dir = mkdtempSync(join(tmpdir(), 'gantry-deploy-orthanc-'));
  const original = JSON.parse(readFileSync('docker/orthanc/orthanc.json', 'utf8')) as Record<string, unknown>;
  const [http, dicom] = [await freePort(), await freePort()];
  const conf: Record<string, unknown> = { ...original, StorageDirectory: join(dir, 'db'), IndexDirectory: join(dir, 'db'), HttpPort: http, DicomPort: dicom };
  for (const k of Object.keys(original)) if (!MOVED.includes(k)) assert.deepEqual(conf[k], original[k]);
  writeFileSync(join(dir, 'orthanc.json'), JSON.stringify(conf));
  url = `http://127.0.0.1:${http}`;
  const log = openSync(join(dir, 'orthanc.log'), 'a');
  orthanc = spawnGuarded(BINARIES.orthanc.binary, [join(dir, 'orthanc.json')], {
    env: { PATH: process.env.PATH, ORTHANC_USERNAME: env.ORTHANC_USERNAME, ORTHANC_PASSWORD: env.ORTHANC_PASSWORD },
    stdio: ['ignore', log, log],
  });
  await waitFor(`Orthanc on ${http} (log ${join(dir, 'orthanc.log')})`, async () => (await fetch(`${url}/system`)).status === 401, 20000, 100);
});

after(async () => {
  const proc = orthanc;
  if (proc && proc.exitCode === null) await new Promise<void>((r) => { proc.once('exit', () => r()); proc.kill('SIGTERM'); });
  rmSync(dir, { recursive: true, force: true });
});

test('the demo PACS refuses anonymous requests and accepts the credentials from docker/.env', async () => {
  assert.ok(env.ORTHANC_PASSWORD, 'the compose file passes a password');
  assert.equal((await fetch(`${url}/system`)).status, 401);
  const auth = `Basic ${Buffer.from(`${env.ORTHANC_USERNAME}:wrong`).toString('base64')}`;
  assert.equal((await fetch(`${url}/system`, { headers: { authorization: auth } })).status, 401);
  const ok = await fetch(`${url}/system`, { headers: { authorization: `Basic ${Buffer.from(`${env.ORTHANC_USERNAME}:${env.ORTHANC_PASSWORD}`).toString('base64')}` } });
  assert.equal(ok.status, 200);
  assert.equal(((await ok.json()) as { Name: string }).Name, 'GANTRY-DEMO');
});
