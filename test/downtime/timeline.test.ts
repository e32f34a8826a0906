// State timeline: precedence of maintenance windows, status and no-data, and independence from the order
// (and lateness) in which status messages arrived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTimeline, orderStatus, type StatusRecord } from '../../server/downtime/timeline.js';
import { at, H, scannerA, scannerB } from './fixtures.js';

const brief = (ivs: ReturnType<typeof computeTimeline>) => ivs.map((iv) => [(iv.start - at(0)) / H, (iv.end - at(0)) / H, iv.state, iv.source]);

test('precedence: maintenance window > down > no-data > degraded/up; gaps in data are unknown', () => {
  const ivs = computeTimeline({ from: at(0), to: at(40), ...scannerA });
  assert.deepEqual(brief(ivs), [
    [0, 5, 'up', 'status'],
    [5, 7, 'unknown', 'no-data'],
    [7, 10, 'up', 'status'],
    [10, 12, 'down', 'status'],
    [12, 16, 'maintenance', 'maintenance-window'],
    [16, 20, 'up', 'status'],
    [20, 22, 'degraded', 'status'],
    [22, 26, 'unknown', 'no-data'],
    [26, 30, 'degraded', 'status'],
    [30, 40, 'up', 'status'],
  ]);
  assert.equal(ivs[3]?.reason, 'gradient coil');
  assert.equal(ivs[4]?.reason, 'planned PM');
});

test('a down scanner stays down through a no-data interval; before the first status the state is unknown', () => {
  const ivs = computeTimeline({ from: at(-10), to: at(40), ...scannerB });
  assert.deepEqual(brief(ivs), [
    [-10, -5, 'unknown', 'none'],
    [-5, 3, 'down', 'status'],
    [3, 8, 'up', 'status'],
    [8, 10, 'down', 'status'],
    [10, 13, 'unknown', 'no-data'],
    [13, 15, 'down', 'status'],
    [15, 30, 'up', 'status'],
    [30, 40, 'down', 'status'],
  ]);
});

test('the result does not depend on arrival order; a late message changes history where it belongs', () => {
  const inOrder = computeTimeline({ from: at(0), to: at(40), ...scannerA });
  for (let seed = 1; seed <= 5; seed++) {
    const shuffled = [...scannerA.status].sort((a, b) => Math.sin(a.ts * seed) - Math.sin(b.ts * seed));
    assert.deepEqual(computeTimeline({ from: at(0), to: at(40), ...scannerA, status: shuffled }), inOrder);
  }
  // A "down" at 35 that arrives after everything else still lands at 35.
  const late = computeTimeline({ from: at(0), to: at(40), ...scannerA, status: [...scannerA.status, { ts: at(35), state: 'down', receivedAt: at(60) }] });
  assert.deepEqual(brief(late).slice(-2), [[30, 35, 'up', 'status'], [35, 40, 'down', 'status']]);
});

test('same timestamp: the later arrival wins; without arrival times the more severe state wins', () => {
  const dup: StatusRecord[] = [
    { ts: at(1), state: 'down', receivedAt: at(1) },
    { ts: at(1), state: 'up', receivedAt: at(2) },
  ];
  assert.equal(orderStatus(dup)[0]?.state, 'up');
  assert.equal(orderStatus([{ ts: at(1), state: 'up' }, { ts: at(1), state: 'down' }])[0]?.state, 'down');
  assert.equal(orderStatus([{ ts: at(1), state: 'down' }, { ts: at(1), state: 'up' }])[0]?.state, 'down');
});

test('overlapping windows and a stale status', () => {
  const ivs = computeTimeline({
    from: at(0), to: at(10),
    status: [{ ts: at(0), state: 'up' }],
    maintenance: [{ start: at(1), end: at(3) }, { start: at(2), end: at(4) }],
    staleAfterMs: 6 * H,
  });
  // Overlapping windows without reasons resolve to one maintenance interval.
  assert.deepEqual(brief(ivs), [
    [0, 1, 'up', 'status'],
    [1, 4, 'maintenance', 'maintenance-window'],
    [4, 6, 'up', 'status'],
    [6, 10, 'unknown', 'none'],
  ]);
});

test('empty and inverted ranges give no intervals; no status at all is unknown throughout', () => {
  assert.deepEqual(computeTimeline({ from: at(5), to: at(5), status: [] }), []);
  assert.deepEqual(brief(computeTimeline({ from: at(0), to: at(2), status: [] })), [[0, 2, 'unknown', 'none']]);
});
