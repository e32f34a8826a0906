// Socket.IO: authenticated handshake, rooms, per-client coalescing, and a slow client that never reads does
// not delay other clients or ingestion.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket as NetSocket } from 'node:net';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Room, ServerToClientEvents, SubscribeAck, TelemetryReading } from '../../contracts/index.js';
import { eventually, metricValue, startTestPlatform, type TestPlatform } from '../support/platform.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let p: TestPlatform;
const clients: Client[] = [];

function open(opts: { cookie?: string; token?: string; rooms?: Room[]; batch?: boolean } = {}): Client {
  const c: Client = ioClient(p.url, {
    transports: ['websocket'], reconnection: false,
    ...(opts.cookie ? { extraHeaders: { cookie: opts.cookie } } : {}),
    auth: { ...(opts.token ? { token: opts.token } : {}), ...(opts.rooms ? { rooms: opts.rooms } : {}), ...(opts.batch ? { batch: true } : {}) },
  });
  clients.push(c);
  return c;
}
const connected = (c: Client) => new Promise<void>((resolve, reject) => { c.on('connect', () => resolve()); c.on('connect_error', reject); });
const reading = (scannerId: string, site: string, v: number, ts = Date.now()): TelemetryReading => ({ site, modality: 'mri', scannerId, ts, metrics: { helium_level_pct: v } });

// Model scoring off: its worker would answer the readings these tests emit with anomaly events of its own,
// a moment later, and the batch-mode test counts exactly the scores it emitted.
before(async () => { p = await startTestPlatform({ 'realtime.maxUpdatesPerSecond': 20, 'models.enabled': false }); });
after(async () => { for (const c of clients) c.close(); await p?.close(); });

test('the handshake needs a session or a token with the read scope', async () => {
  await assert.rejects(connected(open()), /unauthorized/);
  const metricsOnly = ((await (await p.api('/api/tokens', { method: 'POST', json: { name: 'm', role: 'viewer', scopes: ['metrics'] } })).json()) as { token: string }).token;
  await assert.rejects(connected(open({ token: metricsOnly })), /forbidden/);
  const read = ((await (await p.api('/api/tokens', { method: 'POST', json: { name: 'r', role: 'viewer', scopes: ['read'] } })).json()) as { token: string }).token;
  await connected(open({ token: read }));
  await connected(open({ cookie: p.adminCookie }));
});

test('rooms: a client gets only what it subscribed to; site-scoped users cannot join other sites', async () => {
  const one = open({ cookie: p.adminCookie, rooms: ['scanner:room-a'] });
  const got: string[] = [];
  one.on('telemetry', (r) => got.push(r.scannerId));
  await connected(one);
  p.bus.emit('telemetry', reading('room-b', 'north', 1));
  p.bus.emit('telemetry', reading('room-a', 'north', 1));
  await eventually('room-a update', async () => got, (g) => g.includes('room-a'));
  const ack = await new Promise<SubscribeAck>((r) => one.emit('subscribe', ['site:north'], r));
  assert.deepEqual(ack, { ok: true, rooms: ['scanner:room-a', 'site:north'] });
  p.bus.emit('telemetry', reading('room-c', 'north', 1));
  await eventually('site update', async () => got, (g) => g.includes('room-c'));
  assert.ok(!got.includes('room-b') || got.indexOf('room-b') > got.indexOf('room-a'), 'room-b arrived before subscribing to its site');

  await p.api('/api/users', { method: 'POST', json: { username: 'north-only', password: 'north-only-password', role: 'viewer', sites: ['north'], mustChangePassword: false } });
  const scoped = open({ cookie: await p.login('north-only', 'north-only-password') });
  await connected(scoped);
  const denied = await new Promise<SubscribeAck>((r) => scoped.emit('subscribe', ['fleet', 'site:south'], r));
  assert.equal(denied.ok, false);
  const bad = await new Promise<SubscribeAck>((r) => scoped.emit('subscribe', ['nonsense' as Room], r));
  assert.equal(bad.ok, false);
});

test('telemetry is coalesced per client: at most N updates per second per scanner, the newest state wins', async () => {
  const c = open({ cookie: p.adminCookie, rooms: ['scanner:burst-1'] });
  const got: TelemetryReading[] = [];
  c.on('telemetry', (r) => got.push(r));
  await connected(c);
  const start = Date.now();
  for (let i = 1; i <= 200; i++) {
    p.bus.emit('telemetry', reading('burst-1', 'central', i, start + i));
    if (i % 20 === 0) await new Promise((r) => setTimeout(r, 25));
  }
  await eventually('last value', async () => got.at(-1)?.metrics.helium_level_pct, (v) => v === 200);
  const elapsed = (Date.now() - start) / 1000;
  assert.ok(got.length <= Math.ceil(elapsed * 20) + 2, `${got.length} updates in ${elapsed}s`);
  assert.ok(got.length < 50);
});

test('batch mode: a tick arrives as one message with every scanner, and anomaly scores and forecasts likewise', async () => {
  const c = open({ cookie: p.adminCookie, rooms: ['site:batch'], batch: true });
  const batches: TelemetryReading[][] = [];
  const scoreBatches: number[] = [];
  let single = 0;
  c.on('telemetry:batch', (rs) => batches.push(rs));
  c.on('anomaly:batch', (as) => scoreBatches.push(as.length));
  const forecasts: (number | null)[] = [];
  c.on('prediction:batch', (ps) => { for (const x of ps) forecasts.push(x.etaMs); });
  c.on('telemetry', () => single++);
  c.on('anomaly', () => single++);
  c.on('prediction', () => single++);
  await connected(c);
  const ts = Date.now();
  for (let s = 0; s < 50; s++) {
    p.bus.emit('telemetry', reading(`batch-${s}`, 'batch', s, ts));
    p.bus.emit('anomaly', { scannerId: `batch-${s}`, site: 'batch', modality: 'mri', score: 0.1, threshold: 0.5, ts });
    p.bus.emit('anomaly', { scannerId: `batch-${s}`, site: 'batch', modality: 'mri', score: 0.2, threshold: 0.5, ts: ts + 1 });
  }
  const forecast = { scannerId: 'batch-0', site: 'batch', modality: 'mri' as const, metric: 'helium_level_pct', ts };
  p.bus.emit('prediction', { ...forecast, etaMs: 1000 });
  p.bus.emit('prediction', { ...forecast, etaMs: null, ts: ts + 1 });
  await eventually('all 50 readings', async () => batches.flat().length, (n) => n >= 50);
  await eventually('the forecast', async () => forecasts.length, (n) => n >= 1);
  assert.deepEqual(forecasts, [null], 'the newest forecast (a withdrawal) is the one sent');
  await eventually('all 50 scores', async () => scoreBatches.reduce((a, b) => a + b, 0), (n) => n >= 50);
  assert.ok(batches.length <= 3, `${batches.length} telemetry messages for one burst`);
  assert.ok(scoreBatches.length <= 3, `${scoreBatches.length} anomaly messages for one burst`);
  assert.equal(scoreBatches.reduce((a, b) => a + b, 0), 50, 'only the newest score per scanner is sent');
  assert.equal(single, 0, 'a batch-mode client also got per-scanner messages');
});

/** A Socket.IO client that completes the handshake and then never reads another byte. */
async function stalledClient(port: number, cookie: string): Promise<NetSocket> {
  const sock = connect(port, '127.0.0.1');
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    sock.on('error', reject);
    sock.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (seen.includes('0{"sid"') && !seen.includes('40{')) {
        const payload = Buffer.from('40'), mask = randomBytes(4);
        const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
        sock.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
      }
      if (seen.includes('40{')) resolve();
    });
    sock.write(`GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nCookie: ${cookie}\r\n\r\n`);
  });
  sock.removeAllListeners('data');
  sock.pause();
  return sock;
}

test('a client that never reads does not delay other clients or ingestion', async () => {
  // Earlier clients live in this process too; their parsing would compete with the server for the CPU.
  for (const c of clients.splice(0)) c.close();
  const port = Number(new URL(p.url).port);
  const slow = await stalledClient(port, p.adminCookie);
  const fast = open({ cookie: p.adminCookie, rooms: ['scanner:probe-1'] });
  const latencies: number[] = [];
  fast.on('telemetry', (r) => { if (r.scannerId === 'probe-1') latencies.push(Date.now() - r.ts); });
  await connected(fast);
  const mq = await mqtt.connectAsync(p.mqttUrl);
  const metrics = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`helium_level_pct_padding_metric_${i}`, i]));
  const deferredBefore = await metricValue(p.url, 'gantry_socket_telemetry_deferred_total');
  let probes = 0;
  const until = Date.now() + 3000;
  while (Date.now() < until) {
    for (let s = 0; s < 500; s++) p.bus.emit('telemetry', { site: 'flood', modality: 'ct', scannerId: `flood-${s}`, ts: Date.now(), metrics });
    if (probes < 15) {
      probes++;
      await mq.publishAsync('gantry/v1/central/mri/probe-1/telemetry', JSON.stringify({ ts: Date.now(), metrics: { helium_level_pct: probes } }), { qos: 1 });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await mq.endAsync();
  const serverSide = [...p.http.io.sockets.sockets.values()].filter((s) => !s.conn.transport.writable);
  assert.ok(serverSide.length >= 1, 'the stalled client never filled its buffers: the test did not test anything');
  assert.ok(await metricValue(p.url, 'gantry_socket_telemetry_deferred_total') > deferredBefore);
  await eventually('every probe seen by the fast client', async () => latencies.length, (n) => n >= 10);
  const worst = Math.max(...latencies);
  process.stdout.write(`# fast client: ${latencies.length} probe updates, worst latency ${worst} ms while a client was stalled\n`);
  assert.ok(worst < 1000, `fast client waited ${worst} ms`);
  const res = await eventually('probes stored', () => p.influx.query(`SELECT count("helium_level_pct") FROM "telemetry" WHERE "scanner" = 'probe-1'`), (r) => Number(r[0]?.[0]?.values[0]?.[1]) === probes);
  assert.equal(Number(res[0]?.[0]?.values[0]?.[1]), probes);
  slow.destroy();
});
