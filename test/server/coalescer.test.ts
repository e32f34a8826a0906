// The per-client telemetry rate limit on a controlled clock: the first reading of a scanner goes out at once,
// later ones within the interval are merged (newest values win, a late sample never rolls back) and sent once
// the interval has passed; a client whose transport is busy gets nothing until it drains, then the newest state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TelemetryReading } from '../../contracts/index.js';
import { TelemetryCoalescer } from '../../server/realtime/coalescer.js';

const reading = (scannerId: string, ts: number, metrics: Record<string, number>): TelemetryReading =>
  ({ site: 'central', modality: 'mri', scannerId, ts, metrics });

function client(id: string) {
  const sent: TelemetryReading[] = [];
  let writable = true;
  return { sent, setWritable: (w: boolean) => { writable = w; }, target: { id, writable: () => writable, send: (r: TelemetryReading) => { sent.push(r); } } };
}

test('leading edge: immediate first update, merged updates after the interval, at most one per interval', () => {
  let now = 0;
  const c = new TelemetryCoalescer(500, () => now);
  const a = client('a');
  c.push(a.target, reading('mri-1', 1000, { x: 1 }));
  assert.deepEqual(a.sent.map((r) => r.metrics), [{ x: 1 }], 'first reading is sent at once');
  now = 100; c.push(a.target, reading('mri-1', 1100, { x: 2, y: 1 }));
  now = 200; c.push(a.target, reading('mri-1', 1050, { x: 9 })); // late: must not roll x back
  now = 250; c.push(a.target, reading('mri-2', 1200, { z: 1 })); // another scanner: its own interval
  c.flush();
  assert.deepEqual(a.sent.map((r) => [r.scannerId, r.metrics]), [['mri-1', { x: 1 }], ['mri-2', { z: 1 }]], 'nothing more for mri-1 within its interval');
  now = 500; c.flush();
  assert.deepEqual(a.sent.slice(2).map((r) => [r.scannerId, r.ts, r.metrics]), [['mri-1', 1100, { x: 2, y: 1 }]]);
  assert.equal(c.merged, 1);
  now = 600; c.push(a.target, reading('mri-1', 1600, { x: 3 }));
  assert.equal(a.sent.length, 3, 'held: the last update of mri-1 went out 100 ms ago');
  now = 1000; c.flush();
  assert.deepEqual(a.sent.at(-1)?.metrics, { x: 3 });
});

test('a busy client is skipped and then gets only the newest state; other clients are not held up', () => {
  let now = 0;
  const c = new TelemetryCoalescer(500, () => now);
  const slow = client('slow');
  const fast = client('fast');
  slow.setWritable(false);
  for (let i = 1; i <= 5; i++) {
    now = i * 600;
    c.push(slow.target, reading('mri-1', i, { x: i }));
    c.push(fast.target, reading('mri-1', i, { x: i }));
    c.flush();
  }
  assert.equal(fast.sent.length, 5);
  assert.equal(slow.sent.length, 0);
  assert.ok(c.deferred >= 4);
  slow.setWritable(true);
  now += 600; c.flush();
  assert.deepEqual(slow.sent.map((r) => r.metrics), [{ x: 5 }]);
});

test('a batch-mode client gets every due reading in one call per tick, never single events', () => {
  let now = 0;
  const c = new TelemetryCoalescer(500, () => now);
  const batches: TelemetryReading[][] = [];
  let ticks = 0;
  const target = { id: 'b', writable: () => true, send: () => assert.fail('single event to a batch client'), sendMany: (rs: TelemetryReading[]) => { batches.push(rs); }, tick: () => { ticks++; } };
  c.onTick(target);
  c.push(target, reading('mri-1', 1, { x: 1 }));
  c.push(target, reading('mri-2', 1, { x: 2 }));
  assert.equal(batches.length, 0, 'held until the tick');
  now = 250; c.flush();
  assert.deepEqual(batches.map((b) => b.map((r) => r.scannerId)), [['mri-1', 'mri-2']]);
  now = 300; c.push(target, reading('mri-1', 2, { x: 3 }));
  now = 500; c.flush();
  assert.equal(batches.length, 1, 'mri-1 was sent 250 ms ago: not due yet');
  now = 750; c.flush();
  assert.deepEqual(batches[1]?.map((r) => r.metrics), [{ x: 3 }]);
  assert.equal(ticks, 3);
});
