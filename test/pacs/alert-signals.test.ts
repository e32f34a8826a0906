import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PacsDerived } from '../../contracts/pacs.js';
import { pacsAlertSignals } from '../../server/pacs/alert-signals.js';

const derived: PacsDerived = {
  pacsId: 'main-pacs', site: 'central', ts: 1000, windowMs: 60000,
  tiers: [
    { tier: 'fast', usedBytes: 90, capacityBytes: 100, fillPct: 90, growthBytesPerDay: 1, daysToFull: 10, daysToFullLow: 8, daysToFullHigh: 12, samples: 5 },
    { tier: 'archive', usedBytes: 10, capacityBytes: 100, fillPct: 10, growthBytesPerDay: null, daysToFull: null, daysToFullLow: null, daysToFullHigh: null, samples: 1 },
  ],
  failures: [{ probe: 'echo', cause: 'tcp_refused', count: 2, rate: 0.2 }, { probe: 'echo', cause: 'timeout', count: 1, rate: 0.1 }],
  latency: [
    { probe: 'retrieve', ageBucket: 'lt_7d', count: 3, p50Ms: 100, p95Ms: 900, maxMs: 1000, avgMs: 200 },
    { probe: 'retrieve', ageBucket: 'lt_1y', count: 3, p50Ms: 900, p95Ms: 6000, maxMs: 7000, avgMs: 2000 },
  ],
  probes: [
    { probe: 'echo', lastOk: false, consecutiveFailures: 3, lastCause: 'tcp_refused', attempts: 10 },
    { probe: 'find', lastOk: true, consecutiveFailures: 0, attempts: 5 },
  ],
};

test('derived PACS signals become one flat alert signal per rule: worst tier, slowest bucket, summed failure rate', () => {
  const byName = Object.fromEntries(pacsAlertSignals(derived).map((s) => [s.signal, s.value]));
  assert.deepEqual(byName, {
    tier_fill_pct: 90, days_to_full: 10, retrieval_latency_p95_ms: 6000,
    association_failure_rate: 0.30000000000000004, echo_down: 1, association_failure_streak: 3,
  });
});

test('no tier forecast and no retrieval yet: those signals are absent, not zero', () => {
  const names = pacsAlertSignals({ ...derived, tiers: [], latency: [] }).map((s) => s.signal);
  assert.ok(!names.includes('tier_fill_pct') && !names.includes('days_to_full') && !names.includes('retrieval_latency_p95_ms'));
});
