// Pure parts of the PACS domain: tier forecast, sliding-window signals, Prometheus parsing, topic parsing
// and the default rule catalog with overrides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forecastTier } from '../../server/pacs/forecast.js';
import { PacsSignals, percentile } from '../../server/pacs/signals.js';
import { parsePrometheus } from '../../collectors/pacs/passive.js';
import { ageBucketOf } from '../../collectors/pacs/collector.js';
import { parsePacsTopic, pacsMetricsTopic } from '../../contracts/pacs.js';
import { pacsRules } from '../../server/pacs/rules.js';
import { probeLine } from '../../server/pacs/points.js';

const H = 3_600_000;

test('a steady growth gives exact growth and days-to-full with a collapsed band', () => {
  const samples = Array.from({ length: 10 }, (_, h) => ({ ts: h * H, usedBytes: 1000 + 100 * h }));
  const f = forecastTier('hot', samples, 10_000);
  assert.equal(f.usedBytes, 1900);
  assert.ok(Math.abs((f.growthBytesPerDay ?? 0) - 2400) < 1e-6);
  assert.ok(Math.abs((f.daysToFull ?? 0) - 8100 / 2400) < 1e-9);
  assert.ok(Math.abs((f.daysToFullLow ?? 0) - (f.daysToFull ?? 0)) < 1e-6 && Math.abs((f.daysToFullHigh ?? 0) - (f.daysToFull ?? 0)) < 1e-6);
  assert.equal(f.fillPct, 19);
});

test('noisy growth gives a band around days-to-full; no growth means never full', () => {
  const noise = [0, 40, -30, 25, -45, 10, 35, -20, 5, -15];
  const f = forecastTier('hot', noise.map((n, h) => ({ ts: h * H, usedBytes: 1000 + 100 * h + n })), 10_000);
  assert.ok((f.daysToFullLow ?? 0) < (f.daysToFull ?? 0) && (f.daysToFull ?? 0) < (f.daysToFullHigh ?? Infinity), JSON.stringify(f));
  const flat = forecastTier('cold', [0, 1, 2, 3].map((h) => ({ ts: h * H, usedBytes: 5000 })), 10_000);
  assert.equal(flat.growthBytesPerDay, 0);
  assert.equal(flat.daysToFull, null);
  assert.equal(forecastTier('new', [{ ts: 0, usedBytes: 5 }], undefined).daysToFull, null, 'too few samples, no capacity');
});

test('failure rates by cause, percentiles per study-age bucket and streaks over the window', () => {
  const s = new PacsSignals({ probeWindowMs: 10 * H, growthWindowMs: 100 * H });
  const base = { pacsId: 'p', site: 's' };
  s.recordProbe({ ...base, ts: 0, probe: 'echo', ok: true, durationMs: 3 }); // falls out of the window
  for (let i = 1; i <= 4; i++) s.recordProbe({ ...base, ts: 11 * H + i, probe: 'echo', ok: i % 2 === 0, durationMs: i, ...(i % 2 ? { cause: 'tcp_refused' as const } : {}) });
  s.recordProbe({ ...base, ts: 11 * H + 5, probe: 'echo', ok: false, durationMs: 9, cause: 'timeout' });
  for (const [ms, bucket] of [[100, 'lt_7d'], [300, 'lt_7d'], [4000, 'lt_3y']] as const) s.recordProbe({ ...base, ts: 11 * H, probe: 'retrieve', ok: true, durationMs: ms, ageBucket: bucket });
  const d = s.compute('p', 12 * H);
  assert.ok(d);
  assert.deepEqual(d.failures.map((f) => [f.cause, f.count, f.rate]).sort(), [['tcp_refused', 2, 0.4], ['timeout', 1, 0.2]]);
  const lat = Object.fromEntries(d.latency.map((l) => [`${l.probe}/${l.ageBucket}`, [l.count, l.p50Ms, l.maxMs]]));
  assert.deepEqual(lat, { 'echo/none': [2, 2, 4], 'retrieve/lt_7d': [2, 100, 300], 'retrieve/lt_3y': [1, 4000, 4000] });
  assert.deepEqual(d.probes.find((x) => x.probe === 'echo'), { probe: 'echo', lastOk: false, consecutiveFailures: 1, lastCause: 'timeout', attempts: 6 });
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
});

test('study age buckets', () => {
  const now = Date.UTC(2026, 0, 31);
  assert.equal(ageBucketOf('20260130', now), 'lt_7d');
  assert.equal(ageBucketOf('20251201', now), 'lt_90d');
  assert.equal(ageBucketOf('20250301', now), 'lt_1y');
  assert.equal(ageBucketOf('20240101', now), 'lt_3y');
  assert.equal(ageBucketOf('20100101', now), 'ge_3y');
  assert.equal(ageBucketOf(undefined, now), 'unknown');
});

test('Prometheus text: unlabelled kept, labelled summed per name, comments skipped', () => {
  const text = '# HELP x\northanc_count_instances 6 1795\nhttp_requests_total{code="200"} 3\nhttp_requests_total{code="500"} 1\nbad line\nnan_metric NaN\n';
  assert.deepEqual(parsePrometheus(text), { orthanc_count_instances: 6, http_requests_total: 4 });
});

test('PACS push topic is parsed separately from scanner topics', () => {
  assert.deepEqual(parsePacsTopic(pacsMetricsTopic({ site: 'north', pacsId: 'main-pacs' })), { site: 'north', pacsId: 'main-pacs' });
  assert.ok('error' in parsePacsTopic('gantry/v1/north/mri/x/metrics'));
  assert.ok('error' in parsePacsTopic('gantry/v1/North/pacs/x/metrics'));
});

test('default rule catalog holds the seed thresholds and config overrides apply', () => {
  const rules = pacsRules({});
  const t = Object.fromEntries(rules.map((r) => [r.id, [r.op, r.threshold]]));
  assert.deepEqual(t, {
    'pacs-tier-fill-high': ['>', 85], 'pacs-tier-days-to-full-low': ['<', 30], 'pacs-retrieval-slow': ['>', 5000],
    'pacs-association-failure-streak': ['>=', 1], 'pacs-echo-down': ['==', 0],
  });
  const o = pacsRules({ 'pacs-tier-fill-high': { threshold: 90 }, 'pacs-echo-down': { enabled: false } });
  assert.equal(o.find((r) => r.id === 'pacs-tier-fill-high')?.threshold, 90);
  assert.equal(o.find((r) => r.id === 'pacs-echo-down')?.enabled, false);
  assert.throws(() => pacsRules({ 'no-such-rule': { threshold: 1 } }), /unknown rules: no-such-rule/);
});

test('probe line protocol carries bounded tags and the code as a field', () => {
  const line = probeLine({ pacsId: 'p', site: 's', ts: 1000, probe: 'echo', ok: false, durationMs: 2, cause: 'association_rejected', code: 'called_ae_not_recognized' });
  assert.equal(line, 'pacs_probe,cause=association_rejected,pacs=p,probe=echo,result=fail,site=s code="called_ae_not_recognized",duration_ms=2,ok=0i 1000');
});
