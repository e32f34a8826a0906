// Fleet load for bench:alerts, run as a child process so generating load does not share the server's
// event loop. Each scanner publishes one QoS 1 message per `batch` intervals carrying `batch` samples of
// every MRI catalog metric at normal values, spread evenly over time, from several MQTT connections.
// Prints one JSON line per second: {"published": samples, "messages": n, "inflight": n}.
import mqtt from 'mqtt';
import { metricsFor } from '../contracts/metric-catalog.js';

const [url, scannersArg, batchArg, publishersArg] = process.argv.slice(2);
const scanners = Number(scannersArg);
const batch = Number(batchArg ?? 1);
const publishers = Number(publishersArg ?? 4);
const intervalMs = 1000;
const metrics = Object.fromEntries(metricsFor('mri').map((m) => [m.name, (m.normal[0] + m.normal[1]) / 2]));

const clients = await Promise.all(Array.from({ length: publishers }, (_, i) => mqtt.connectAsync(url as string, { clientId: `bench-load-${process.pid}-${i}`, clean: true })));
let published = 0;
let messages = 0;
let inflight = 0;
const periodMs = intervalMs * batch;
const slotMs = 10;
let slot = 0;
const slots = periodMs / slotMs;
const started = Date.now();
let due = started;
const timer = setInterval(() => {
  // Scanner k publishes in slot k % slots, so the load is spread evenly over each period; slots missed by a
  // late timer are caught up, so the offered rate does not drift below the target.
  const now = Date.now();
  for (; due <= now; due += slotMs) {
    for (let k = slot; k < scanners; k += slots) {
      const samples = Array.from({ length: batch }, (_, j) => ({ ts: now - (batch - 1 - j) * intervalMs, metrics }));
      const client = clients[k % publishers] as mqtt.MqttClient;
      inflight++;
      client.publish(`gantry/v1/bench/mri/load-${k}/telemetry`, JSON.stringify(batch === 1 ? samples[0] : { samples }), { qos: 1 }, () => { inflight--; });
      published += batch;
      messages++;
    }
    slot = (slot + 1) % slots;
  }
}, slotMs);
const report = setInterval(() => {
  process.stdout.write(`${JSON.stringify({ t: Date.now() - started, published, messages, inflight })}\n`);
}, 1000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  clearInterval(report);
  void Promise.all(clients.map((c) => c.endAsync(true))).then(() => process.exit(0));
});
