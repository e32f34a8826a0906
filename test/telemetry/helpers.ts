// Shared by the telemetry durability tests: a steady QoS 1 publisher that records what the broker
// acknowledged, and point counting in InfluxDB.
import assert from 'node:assert/strict';
import mqtt, { type MqttClient } from 'mqtt';
import { eventually } from '../support/platform.js';
import type { InfluxStore } from '../../server/storage/influx.js';

export interface SteadyPublisher {
  /** Timestamps (one per sample) the broker acknowledged. */
  acked: Set<number>;
  published: number;
  startTs: number;
  stop(): Promise<void>;
  /** Stops publishing and waits until every publish is acknowledged (or fails after timeoutMs). */
  drain(timeoutMs?: number): Promise<void>;
}

/**
 * Publishes `samplesPerMessage` samples every `intervalMs` to one scanner's telemetry topic, with unique
 * millisecond timestamps starting at `startTs`, so each sample is one distinct InfluxDB point.
 */
export async function steadyPublisher(url: string, scannerId: string, opts: { intervalMs: number; samplesPerMessage: number; startTs: number }): Promise<SteadyPublisher> {
  const client: MqttClient = await mqtt.connectAsync(url, { clientId: `pub-${scannerId}-${process.pid}`, clean: false, reconnectPeriod: 300 });
  const acked = new Set<number>();
  const pending = new Set<Promise<void>>();
  let next = opts.startTs;
  let published = 0;
  const topic = `gantry/v1/test/ct/${scannerId}/telemetry`;
  const timer = setInterval(() => {
    const ts = Array.from({ length: opts.samplesPerMessage }, () => next++);
    const samples = ts.map((t) => ({ ts: t, metrics: { power_kw: t % 1000, tube_temp_c: 40 } }));
    published += ts.length;
    const p = client.publishAsync(topic, JSON.stringify({ samples }), { qos: 1 }).then(() => { for (const t of ts) acked.add(t); }, () => undefined);
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }, opts.intervalMs);
  const stop = async () => { clearInterval(timer); await client.endAsync(); };
  return {
    acked,
    get published() { return published; },
    startTs: opts.startTs,
    stop,
    drain: async (timeoutMs = 20000) => {
      clearInterval(timer);
      const deadline = Date.now() + timeoutMs;
      while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await client.endAsync();
      if (pending.size > 0) throw new Error(`${pending.size} publishes never acknowledged by the broker`);
    },
  };
}

export async function countPoints(influx: InfluxStore, scanner: string): Promise<number> {
  const res = await influx.query(`SELECT count("power_kw") FROM "telemetry" WHERE "scanner" = '${scanner}'`);
  return Number(res[0]?.[0]?.values[0]?.[1] ?? 0);
}

/** Timestamps of the scanner's points in InfluxDB. */
export async function storedTimestamps(influx: InfluxStore, scanner: string): Promise<number[]> {
  const res = await influx.query(`SELECT "power_kw" FROM "telemetry" WHERE "scanner" = '${scanner}'`);
  return (res[0]?.[0]?.values ?? []).map((row) => Number(row[0]));
}

/** Drains the publisher, then checks that every point the broker acknowledged is stored exactly once. */
export async function assertAckedStoredOnce(influx: InfluxStore, scanner: string, pub: SteadyPublisher, timeoutMs = 30000): Promise<void> {
  await pub.drain();
  const expected = pub.acked.size;
  assert.equal(expected, pub.published, 'the broker acknowledged every publish');
  await eventually('all points in InfluxDB', () => countPoints(influx, scanner), (n) => n >= expected, timeoutMs);
  const stored = await storedTimestamps(influx, scanner);
  assert.equal(stored.length, expected, 'no point twice, none missing');
  assert.deepEqual(new Set(stored), pub.acked);
}
