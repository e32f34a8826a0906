// The live model-output store over a real Socket.IO connection: scores and forecasts arrive, bursts are
// published as one update, a withdrawn forecast disappears, and the store stops listening on the socket
// when its last subscriber leaves.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as ioClient } from 'socket.io-client';
import type { AnomalyScore, Prediction } from '../../contracts/alert-signals.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/socket-events.js';
import { createModelStore, type AnomalySnapshot, type PredictionSnapshot } from '../../web/src/data/models.js';
import type { GantrySocket } from '../../web/src/data/socket.js';
import { Ticker } from '../../web/src/data/ticker.js';

let http: HttpServer;
let server: Server<ClientToServerEvents, ServerToClientEvents>;
let client: GantrySocket;

before(async () => {
  http = createServer();
  server = new Server(http);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  client = ioClient(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((r) => client.on('connect', () => r()));
});
after(async () => { client.close(); await server.close(); });

const score = (scannerId: string, ts: number, value = 0.2): AnomalyScore => ({ scannerId, site: 's', modality: 'mri', score: value, threshold: 0.5, ts });
const prediction = (ts: number, etaMs: number | null, metric = 'helium_level_pct'): Prediction => ({ scannerId: 'm1', site: 's', modality: 'mri', metric, etaMs, ts });
const until = async (what: string, cond: () => boolean) => {
  const deadline = Date.now() + 3000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
const listening = () => ['anomaly', 'anomaly:batch', 'prediction', 'prediction:batch'].map((e) => client.listeners(e as 'anomaly').length);

test('a burst of scores becomes one published update; each scanner keeps its own history', async () => {
  const store = createModelStore(() => client, new Ticker(100));
  const seen: AnomalySnapshot[] = [];
  const off = store.subscribeAnomalies((s) => seen.push(s));
  assert.equal(seen.length, 1, 'a subscriber gets the current state at once');
  const ts = Date.now();
  server.emit('anomaly:batch', Array.from({ length: 40 }, (_, i) => score(`s${i % 4}`, ts + i)));
  for (let i = 40; i < 60; i++) server.emit('anomaly', score('s0', ts + i, 0.9));
  await until('all scores', () => seen.at(-1)?.scores.get('s0')?.length === 30);
  await new Promise((r) => setTimeout(r, 250));
  assert.ok(seen.length <= 4, `${seen.length} publishes for 60 messages`);
  const last = seen.at(-1) as AnomalySnapshot;
  assert.equal(last.scores.get('s1')?.length, 10);
  assert.equal(last.scores.get('s0')?.at(-1)?.score, 0.9);
  off();
});

test('a late or repeated score is ignored; history arrays are replaced, never mutated', () => {
  const store = createModelStore(() => client, new Ticker(100));
  assert.equal(store.applyAnomaly(score('x', 10)), true);
  let snap: AnomalySnapshot | undefined;
  const off = store.subscribeAnomalies((s) => { snap = s; });
  const before = snap?.scores.get('x');
  assert.equal(store.applyAnomaly(score('x', 10)), false);
  assert.equal(store.applyAnomaly(score('x', 5)), false);
  assert.equal(store.applyAnomaly(score('x', 11)), true);
  assert.equal(before?.length, 1, 'the array a tile already holds did not change');
  assert.equal(snap?.scores.get('x')?.length, 2);
  off();
});

test('forecasts: the newest per metric is kept, etaMs null withdraws it, an older one is ignored', async () => {
  const store = createModelStore(() => client, new Ticker(50));
  let snap: PredictionSnapshot | undefined;
  const off = store.subscribePredictions((s) => { snap = s; });
  server.emit('prediction:batch', [prediction(100, 3_600_000), prediction(100, 7_200_000, 'coldhead_temp_k')]);
  await until('two forecasts', () => snap?.predictions.get('m1')?.size === 2);
  const inner = snap?.predictions.get('m1');
  server.emit('prediction', prediction(50, 1));
  server.emit('prediction', prediction(200, null));
  await until('the helium forecast withdrawn', () => snap?.predictions.get('m1')?.size === 1);
  assert.equal(snap?.predictions.get('m1')?.get('coldhead_temp_k')?.etaMs, 7_200_000);
  assert.equal(inner?.size, 2, 'the map a tile already holds did not change');
  server.emit('prediction', prediction(300, null, 'coldhead_temp_k'));
  await until('no forecast left', () => snap?.predictions.has('m1') === false);
  off();
});

test('the store listens on the socket only while someone subscribes', async () => {
  const base = listening();
  const store = createModelStore(() => client, new Ticker(50));
  let calls = 0;
  const offA = store.subscribeAnomalies(() => calls++);
  const offP = store.subscribePredictions(() => calls++);
  assert.deepEqual(listening(), base.map((n) => n + 1), 'one listener per event, however many subscribers');
  offA();
  assert.deepEqual(listening(), base.map((n) => n + 1), 'still listening for the prediction subscriber');
  offP();
  assert.deepEqual(listening(), base);
  const before = calls;
  server.emit('anomaly', score('gone', Date.now()));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(calls, before, 'an unsubscribed callback was called');
});
