// The broker of the compose stack, for real: Debian's Mosquitto runs docker/mosquitto/mosquitto.conf and
// docker/mosquitto/acl, with the password file that docker/mosquitto/init-passwd.sh (the compose stack's
// init step) builds. Only the lines that name container paths or the port are rewritten in a temp copy;
// the test checks that every other line is unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, chmodSync, chownSync, rmSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect as tcpConnect } from 'node:net';
import mqtt, { type MqttClient, type IClientOptions, type Packet } from 'mqtt';
import { BINARIES, ensureBinaries } from '../../server/services/system-packages.js';
import { freePort, waitFor, sleep } from '../../server/lib/net.js';

const DOCKER = resolve('docker/mosquitto');
const CONF = join(DOCKER, 'mosquitto.conf');
const ACL = join(DOCKER, 'acl');
const INIT = join(DOCKER, 'init-passwd.sh');

const GANTRY = { username: 'gantry', password: 'gantry-secret' };
const DEVICE = { username: 'central-mri-1', password: 'device-secret' };
const OTHER = { username: 'riverside-ct-1', password: 'other-secret' };
const OWN_TOPIC = 'gantry/v1/central/mri/central-mri-1/telemetry';
const OTHER_TOPIC = 'gantry/v1/riverside/ct/riverside-ct-1/telemetry';

// Container paths in mosquitto.conf and what they become here; nothing else may differ.
const REWRITTEN = ['listener', 'persistence_location', 'password_file', 'acl_file'];

let dir = '';
let port = 0;
let broker: ChildProcess | undefined;
const clients: MqttClient[] = [];

function rewriteConfig(src: string, paths: { port: number; data: string; passwd: string; acl: string }): string {
  return src.split('\n').map((line) => {
    const [key] = line.trim().split(/\s+/);
    switch (key) {
      case 'listener': return `listener ${paths.port} 127.0.0.1`;
      case 'persistence_location': return `persistence_location ${paths.data}/`;
      case 'password_file': return `password_file ${paths.passwd}`;
      case 'acl_file': return `acl_file ${paths.acl}`;
      default: return line;
    }
  }).join('\n');
}

async function client(creds: { username: string; password: string } | undefined, opts: IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 3000, clean: true, ...creds, ...opts });
  clients.push(c);
  return c;
}

/** Reason code of a PUBACK (absent means success). */
function reasonCode(packet: Packet | undefined): number {
  return packet && 'reasonCode' in packet && typeof packet.reasonCode === 'number' ? packet.reasonCode : 0;
}

/** Collects what a subscriber receives, so a test can show that a message did NOT arrive. */
function inbox(c: MqttClient): { topic: string; payload: string }[] {
  const got: { topic: string; payload: string }[] = [];
  c.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  return got;
}

before(async () => {
  ensureBinaries([BINARIES.mosquitto]);
  dir = mkdtempSync(join(tmpdir(), 'gantry-deploy-mqtt-'));
  // Mosquitto started as root drops to its own user, which must reach the data folder and the files.
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? execFileSync('id', ['-u', 'mosquitto']).toString().trim() + ':' + execFileSync('id', ['-g', 'mosquitto']).toString().trim() : `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data);
  const [uid, gid] = owner.split(':').map(Number) as [number, number];
  if (asRoot) chownSync(data, uid, gid);
  const devices = join(dir, 'devices.txt');
  writeFileSync(devices, `# scanners of the test fleet\n${DEVICE.username}:${DEVICE.password}\n\n${OTHER.username}:${OTHER.password}\n`);
  const passwd = join(dir, 'passwd');
  execFileSync('sh', [INIT], {
    env: { PATH: process.env.PATH, GANTRY_MQTT_USERNAME: GANTRY.username, GANTRY_MQTT_PASSWORD: GANTRY.password, MOSQUITTO_PASSWD_FILE: passwd, MQTT_DEVICES_FILE: devices, MOSQUITTO_OWNER: owner, MOSQUITTO_ACL_FILE: ACL },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  port = await freePort();
  const original = readFileSync(CONF, 'utf8');
  const conf = rewriteConfig(original, { port, data, passwd, acl: ACL });
  const confPath = join(dir, 'mosquitto.conf');
  writeFileSync(confPath, conf);
  const before = original.split('\n');
  const afterLines = conf.split('\n');
  assert.equal(afterLines.length, before.length);
  before.forEach((line, i) => {
    if (!REWRITTEN.includes(line.trim().split(/\s+/)[0] ?? '')) assert.equal(afterLines[i], line, 'only listener and path lines may change');
  });
  const log = openSync(join(dir, 'mosquitto.log'), 'a');
  broker = spawn(BINARIES.mosquitto.binary, ['-c', confPath], { stdio: ['ignore', log, log] });
  await waitFor(`mosquitto on ${port} (log ${join(dir, 'mosquitto.log')})`, () => new Promise((res) => {
    const s = tcpConnect(port, '127.0.0.1', () => { s.end(); res(true); });
    s.on('error', () => res(false));
  }), 10000, 50);
});

after(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  const proc = broker;
  if (proc && proc.exitCode === null) await new Promise<void>((r) => { proc.once('exit', () => r()); proc.kill('SIGTERM'); });
  rmSync(dir, { recursive: true, force: true });
});

test('the init script hashes every account: no plaintext password in the broker password file', () => {
  const text = readFileSync(join(dir, 'passwd'), 'utf8');
  assert.deepEqual(text.trim().split('\n').map((l) => l.split(':')[0]), [GANTRY.username, DEVICE.username, OTHER.username]);
  for (const secret of [GANTRY.password, DEVICE.password, OTHER.password]) assert.ok(!text.includes(secret));
  assert.match(text, /^gantry:\$7\$/m, 'PBKDF2-SHA512 hashes');
});

test('anonymous clients and wrong passwords are refused', async () => {
  await assert.rejects(client(undefined), /Not authorized|Bad User Name or Password|Connection refused/i);
  await assert.rejects(client({ username: DEVICE.username, password: 'wrong' }), /Not authorized|Bad User Name or Password|Connection refused/i);
});

test("a device publishes to its own topics and Gantry's account receives them", async () => {
  const gantry = await client(GANTRY);
  const got = inbox(gantry);
  await gantry.subscribeAsync('gantry/v1/+/+/+/+', { qos: 1 });
  const device = await client(DEVICE);
  for (const channel of ['telemetry', 'status', 'event']) {
    const pub = await device.publishAsync(`gantry/v1/central/mri/central-mri-1/${channel}`, `own-${channel}`, { qos: 1 });
    assert.equal(reasonCode(pub), 0, `PUBACK for own ${channel}`);
  }
  await waitFor('Gantry receives the device messages', async () => got.length >= 3, 5000, 20);
  assert.deepEqual(got.map((m) => m.payload).sort(), ['own-event', 'own-status', 'own-telemetry']);
});

test("a device cannot publish to another scanner's topic or outside its channels", async () => {
  const gantry = await client(GANTRY);
  const got = inbox(gantry);
  await gantry.subscribeAsync('gantry/v1/#', { qos: 1 });
  await gantry.subscribeAsync('other/#', { qos: 1 });
  const denied = [OTHER_TOPIC, 'gantry/v1/central/mri/central-mri-1/command', 'gantry/v1/central/mri/central-mri-1', 'other/topic'];
  for (const topic of denied) {
    // MQTT 5 Mosquitto answers a refused QoS 1 publish with PUBACK reason 0x87 (not authorized). A fresh
    // connection each time: MQTT.js drops its connection after a refused publish.
    const device = await client(DEVICE);
    const res = await device.publishAsync(topic, 'spoofed', { qos: 1 }).then(reasonCode, (err: Error & { code?: number }) => err.code ?? err.message);
    assert.equal(res, 0x87, `publish to ${topic} refused`);
  }
  // The same device's allowed topic, sent last, proves Gantry's subscription was live for all of them.
  const device = await client(DEVICE);
  await device.publishAsync(OWN_TOPIC, 'marker', { qos: 1 });
  await waitFor('marker arrives', async () => got.some((m) => m.payload === 'marker'), 5000, 20);
  await sleep(100);
  assert.deepEqual(got.filter((m) => m.payload === 'spoofed'), []);
});

test('a device reads nothing: not the fleet, not other scanners, not its own topics, not broker statistics', async () => {
  // Mosquitto may grant a wildcard SUBACK and filters each message by the ACL's read rights at delivery,
  // so what counts is what arrives.
  const device = await client(DEVICE);
  const got = inbox(device);
  for (const filter of ['#', 'gantry/v1/#', OTHER_TOPIC, OWN_TOPIC, '$SYS/#']) await device.subscribeAsync(filter, { qos: 1 });
  const gantry = await client(GANTRY);
  const gantryGot = inbox(gantry);
  await gantry.subscribeAsync('gantry/v1/#', { qos: 1 });
  const other = await client(OTHER);
  await other.publishAsync(OTHER_TOPIC, 'from-other', { qos: 1 });
  const self = await client(DEVICE, { clientId: 'central-mri-1-publisher' });
  await self.publishAsync(OWN_TOPIC, 'from-self', { qos: 1 });
  await waitFor('Gantry receives both', async () => gantryGot.length >= 2, 5000, 20);
  await sleep(1200); // $SYS statistics are published every 10 s by default; the filter is checked anyway
  assert.deepEqual(got, []);
});

test("Gantry's account subscribes to every scanner through a shared subscription (scale-out collectors)", async () => {
  const a = await client(GANTRY, { clientId: 'collector-a' });
  const b = await client(GANTRY, { clientId: 'collector-b' });
  const got = [...[a, b].map(inbox)];
  for (const c of [a, b]) {
    const granted = await c.subscribeAsync('$share/gantry/gantry/v1/+/+/+/telemetry', { qos: 1 });
    assert.equal(granted[0]?.qos, 1);
  }
  const device = await client(DEVICE);
  const other = await client(OTHER);
  for (let i = 0; i < 10; i++) {
    await device.publishAsync(OWN_TOPIC, `d${i}`, { qos: 1 });
    await other.publishAsync(OTHER_TOPIC, `o${i}`, { qos: 1 });
  }
  await waitFor('20 messages over the group', async () => got[0]!.length + got[1]!.length >= 20, 5000, 20);
  await sleep(100);
  const all = [...got[0]!, ...got[1]!].map((m) => m.payload).sort();
  assert.equal(all.length, 20, 'each message delivered to exactly one group member');
  assert.ok(got[0]!.length > 0 && got[1]!.length > 0, 'both collectors share the load');
});
