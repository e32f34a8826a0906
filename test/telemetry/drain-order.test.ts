// The concurrent drain on a real InfluxDB: with 4 lanes and small batches many writes are in flight at once,
// yet one series' points are written in spool order (a point spooled several times with rising values ends
// with the last value), every spooled point is stored once, and the spool is released only behind what was
// written: a lane that cannot write holds the cursor back, and a drain stopped then (as in a kill) resumes
// from the cursor and loses nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startPrivateInfluxd, type PrivateInfluxd } from '../../server/services/private-influxd.js';
import { InfluxStore } from '../../server/storage/influx.js';
import { LineWriter } from '../../server/storage/line-writer.js';
import { InfluxDrain, type BodyWriter } from '../../server/telemetry/influx-drain.js';
import { seriesHash, splitByLane } from '../../server/telemetry/drain-lanes.js';
import { Spool } from '../../server/telemetry/spool.js';
import { createLogger } from '../../lib/logger.js';
import { eventually, tempDir } from '../support/platform.js';

const SERIES = 20;
const POINTS = 5;
const ROUNDS = 40;
const t0 = Date.now() - 3600000;

let dir: string;
let influxd: PrivateInfluxd;
let influx: InfluxStore;
const drains: InfluxDrain[] = [];
before(async () => {
  dir = tempDir('drain-order');
  influxd = await startPrivateInfluxd({ dataDir: join(dir, 'influxdb') });
  influx = new InfluxStore({ url: influxd.url, database: 'gantry', retentionPolicy: 'raw' });
  await influx.ensureDatabase(30);
});
after(async () => {
  // A failed assertion leaves its drain running; stopped here so the file ends.
  for (const d of drains) await d.stop(0);
  await influxd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Round r of every point: the same series and timestamps each round, the value r; series interleave. Each
 * line has a twin in `<measurement>_all` at a timestamp of its own, so every spooled line is a point there.
 */
function round(measurement: string, r: number): string[] {
  const lines: string[] = [];
  for (let p = 0; p < POINTS; p++) {
    for (let s = 0; s < SERIES; s++) {
      lines.push(`${measurement},scanner=s\\ ${s},site=a v=${r}i ${t0 + p}`);
      lines.push(`${measurement}_all,scanner=s\\ ${s},site=a v=${r}i ${t0 + r * POINTS + p}`);
    }
  }
  return lines;
}

function drainOf(spool: Spool, written: { lines: number }, writer: BodyWriter = new LineWriter(influx.settings, { gzipThreshold: 4096 })): InfluxDrain {
  const drain = new InfluxDrain(spool, writer, { batchSize: 50, flushIntervalMs: 20, concurrency: 4, minRetryDelayMs: 50 }, createLogger('silent'), {
    onWritten: (n) => { written.lines += n; },
    onWriteError: () => undefined,
    onRejected: () => assert.fail('InfluxDB refused a write'),
  });
  drains.push(drain);
  return drain;
}

async function stored(measurement: string): Promise<{ count: number; values: Map<string, Set<number>> }> {
  const res = await influx.query(`SELECT "v" FROM "${measurement}" GROUP BY "scanner"`);
  const values = new Map<string, Set<number>>();
  let count = 0;
  for (const series of res[0] ?? []) {
    const set = new Set<number>();
    for (const row of series.values) { set.add(Number(row[1])); count++; }
    values.set(series.tags?.scanner ?? '', set);
  }
  return { count, values };
}

test('lanes: one series always in one lane, escaped spaces included; bytes kept in order', () => {
  const lines = [0, 1].flatMap((r) => round('m', r)).map((l) => `${l}\n`);
  const buf = Buffer.from(lines.join(''));
  const parts = splitByLane(buf, 4);
  const lanesOf = new Map<string, Set<number>>();
  parts.forEach((part, lane) => {
    if (!part) return;
    for (let i = 0; i < part.ranges.length; i += 2) {
      for (const line of buf.toString('utf8', part.ranges[i], part.ranges[i + 1]).split('\n').filter(Boolean)) {
        const key = line.slice(0, line.indexOf(' v='));
        lanesOf.set(key, (lanesOf.get(key) ?? new Set()).add(lane));
      }
    }
  });
  assert.equal(lanesOf.size, 2 * SERIES);
  for (const [key, lanes] of lanesOf) assert.equal(lanes.size, 1, `${key} split over lanes`);
  assert.ok(new Set([...lanesOf.values()].map((s) => [...s][0])).size > 1, 'series spread over several lanes');
  assert.equal(parts.reduce((n, p) => n + (p?.lines ?? 0), 0), 4 * SERIES * POINTS);
  // The key ends at the first unescaped space: "s\ 1" and "s\ 10" differ.
  assert.notEqual(seriesHash(Buffer.from('m,scanner=s\\ 1 v=1i 1\n'), 0, 22), seriesHash(Buffer.from('m,scanner=s\\ 2 v=1i 1\n'), 0, 22));
});

test('4 lanes in flight: per-series order kept, every point once, spool released behind the writes', { timeout: 120000 }, async () => {
  const spool = new Spool({ dir: join(dir, 'spool-order'), maxBytes: 1 << 28 });
  for (let r = 0; r < ROUNDS; r++) spool.append(round('order', r));
  const written = { lines: 0 };
  const drain = drainOf(spool, written);
  drain.start();
  await eventually('spool drained', async () => spool.pendingBytes(), (n) => n === 0, 90000);
  await drain.stop();
  spool.close();
  assert.equal(written.lines, 2 * SERIES * POINTS * ROUNDS, 'every spooled line written');
  assert.equal((await stored('order_all')).count, SERIES * POINTS * ROUNDS, 'every spooled line stored');
  const { count, values } = await stored('order');
  assert.equal(count, SERIES * POINTS, 'each point stored once');
  for (const [scanner, set] of values) assert.deepEqual([...set], [ROUNDS - 1], `${scanner}: the last spooled value wins`);
});

test('a lane whose writes hang holds the cursor back; stopped and resumed, nothing is lost and order is kept', { timeout: 120000 }, async () => {
  const spoolDir = join(dir, 'spool-resume');
  let spool = new Spool({ dir: spoolDir, maxBytes: 1 << 28 });
  for (let r = 0; r < ROUNDS; r++) spool.append(round('resume', r));
  const total = spool.pendingBytes();
  const written = { lines: 0 };
  // Fault injection (InfluxDB cannot be made to hang for one series only): writes holding series "s 0" never
  // answer, until the stop aborts them. The other lanes write on.
  const real = new LineWriter(influx.settings, { gzipThreshold: 4096 });
  const hung: BodyWriter = {
    write: (body, signal) => (body.includes('scanner=s\\ 0,')
      ? new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))))
      : real.write(body, signal)),
  };
  let drain = drainOf(spool, written, hung);
  drain.start();
  await eventually('other lanes written', async () => written.lines, (n) => n >= SERIES * POINTS * 2, 60000);
  await drain.stop(0);
  spool.close();
  // Reopened as after a kill: every chunk holds a line of the hung lane, so nothing was released.
  spool = new Spool({ dir: spoolDir, maxBytes: 1 << 28 });
  assert.equal(spool.pendingBytes(), total, 'the cursor stayed behind the unwritten lane');
  drain = drainOf(spool, written);
  drain.start();
  await eventually('spool drained', async () => spool.pendingBytes(), (n) => n === 0, 90000);
  await drain.stop();
  spool.close();
  assert.equal((await stored('resume_all')).count, SERIES * POINTS * ROUNDS, 'every spooled line stored');
  const { count, values } = await stored('resume');
  assert.equal(count, SERIES * POINTS, 'each point stored once');
  for (const [scanner, set] of values) assert.deepEqual([...set], [ROUNDS - 1], `${scanner}: the last spooled value wins`);
});
