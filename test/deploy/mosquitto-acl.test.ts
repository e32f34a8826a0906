// The broker of the compose stack, for real: Debian's Mosquitto runs docker/mosquitto/mosquitto.conf and
// docker/mosquitto/acl, with the password file that docker/mosquitto/init-passwd.sh (the compose stack's
// init step) builds. Only the lines that name container paths or the port are rewritten in a temp copy;
// the test checks that every other line is unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient, type IClientOptions, type Packet } from 'mqtt';
import { freePort, waitFor, sleep } from '../../lib/net.js';
import { changedLines, startStackMosquitto, type StackBroker } from './support/stack-mosquitto.js';
import { compose } from './support/compose-file.js';

const GANTRY = { username: 'gantry', password: 'gantry-secret' };
const DEVICE = { username: 'central-mri-1', password: 'device-secret' };
const OTHER = { username: 'riverside-ct-1', password: 'other-secret' };
const OWN_TOPIC = 'gantry/v1/central/mri/central-mri-1/telemetry';
const OTHER_TOPIC = 'gantry/v1/riverside/ct/riverside-ct-1/telemetry';

let dir = '';
let port = 0;
let broker: StackBroker | undefined;
const clients: MqttClient[] = [];

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
  dir = mkdtempSync(join(tmpdir(), 'gantry-deploy-mqtt-'));
  broker = await startStackMosquitto(dir, GANTRY, [DEVICE, OTHER]);
  port = broker.port;
});

after(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the broker runs the stack\'s exact config: only the listener and container paths differ', () => {
  assert.ok(broker);
  assert.deepEqual(changedLines(broker.original, broker.rewritten), []);
  assert.notEqual(broker.original, broker.rewritten);
});

test('the init script hashes every account: no plaintext password in the broker password file', () => {
  const text = readFileSync(broker?.passwdFile ?? '', 'utf8');
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
    // connection each time: Mosquitto 2.0.11 closes the connection after it refuses a publish.
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

test('the compose healthcheck command passes against the running broker and fails when none listens', async () => {
  const hc = compose.services.mosquitto?.healthcheck?.test ?? [];
  assert.equal(hc[0], 'CMD-SHELL');
  const healthcheck = (p: number): number => {
    try {
      execFileSync('sh', ['-c', (hc[1] ?? '').replace('-p 1883', `-p ${p}`)], { stdio: 'ignore', timeout: 10000 });
      return 0;
    } catch (err) {
      return (err as { status?: number }).status ?? -1;
    }
  };
  assert.equal(healthcheck(port), 0);
  assert.notEqual(healthcheck(await freePort()), 0);
});
