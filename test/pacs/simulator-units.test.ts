// The simulated PACS's pieces without the network: the fault schedule (every kind once per cycle, windows
// inside their slots, the ground truth agreeing with at()), the archive (decodable UIDs, tiers by age) and
// the tier model (a week of growth that crosses 85 % where the docs say).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PACS_SIM_FAULT_KINDS } from '../../contracts/pacs-simulator.js';
import { FaultSchedule } from '../../collectors/pacs-simulator/faults.js';
import { SyntheticArchive, TIERS } from '../../collectors/pacs-simulator/archive.js';
import { tierUsedBytes } from '../../collectors/pacs-simulator/storage-agent.js';
import { buildPacsHistoryQuery } from '../../server/pacs/history-query.js';

const DAY = 86_400_000;

test('every fault kind once per cycle; at() agrees with the ground-truth windows; the first opens one window in', () => {
  const s = new FaultSchedule({ seed: 1, startMs: 1_000_000, cycleMs: 600_000, windowMs: 20_000, timeScale: 1 });
  const w = s.windows(1_000_000 + 2 * 600_000);
  assert.equal(w.length, 10);
  assert.deepEqual([...new Set(w.map((x) => x.kind))].sort(), [...PACS_SIM_FAULT_KINDS].sort());
  assert.equal(w[0]?.startMs, 1_020_000);
  assert.notEqual(w[0]?.kind, 'slow_recall');
  for (const x of w) {
    assert.equal(s.at(x.startMs), x.kind);
    assert.equal(s.at(x.endMs - 1), x.kind);
    assert.equal(s.at(x.endMs), undefined, `${x.kind} ends`);
  }
  const slow = w.find((x) => x.kind === 'slow_recall');
  assert.equal(slow ? slow.endMs - slow.startMs : 0, 60_000, 'a slow recall lasts three windows');
  assert.equal(s.at(999_999), undefined);
  for (const t of [999_999, 1_020_000, 1_500_000, 1_000_000 + 600_000 + 21_000]) assert.equal(s.startedCount(t), s.windows(t + 1).length, `started by ${t}`);
});

test('the synthetic archive: UIDs decode to their day, tiers follow age, and unknown UIDs are not found', () => {
  const a = new SyntheticArchive(7);
  const now = Date.UTC(2026, 5, 15);
  const c = a.canary(2, now);
  assert.match(c.uid, /^2\.25\.7\d{12}$/);
  assert.equal(a.study(c.uid, now)?.tier.name, 'hot');
  assert.equal(a.study(a.canary(200, now).uid, now)?.tier.name, 'warm');
  assert.equal(a.study(a.canary(800, now).uid, now)?.tier.name, 'archive');
  assert.equal(a.study('1.2.3.4', now), undefined);
  assert.equal(a.find(c.studyDate).length, a.studiesOn(c.studyDate));
});

test('tier model: hot heads for 85 % within the month, archive is past it and full within 30 days', () => {
  const hot = TIERS.find((t) => t.name === 'hot');
  const archive = TIERS.find((t) => t.name === 'archive');
  assert.ok(hot && archive);
  const pct = (t: typeof hot, at: number) => (100 * tierUsedBytes(t, 0, at, 0)) / t.capacityBytes;
  assert.ok(pct(hot, 0) < 85 && pct(hot, 30 * DAY) > 85);
  assert.ok(pct(archive, 0) > 85 && pct(archive, 30 * DAY) > 100);
  assert.ok(pct(hot, -7 * DAY) < pct(hot, 0), 'a week of growth behind');
});

test('history query: one statement per section, bucketed by the step, scoped to the PACS', () => {
  const q = buildPacsHistoryQuery({ database: 'gantry', retentionPolicy: 'autogen', pacsId: "x'y", site: 's', from: 0, to: 3_600_000, stepMs: 60_000, maxPoints: 60, sections: ['latency', 'storage'] });
  const parts = q.split('; ');
  assert.equal(parts.length, 2);
  assert.match(parts[0] ?? '', /percentile\("duration_ms", 95\).*"pacs" = 'x\\'y'.*GROUP BY time\(60000ms\), "age_bucket", "tier"/);
  assert.match(parts[1] ?? '', /FROM "gantry"\."autogen"\."pacs_storage"/);
});
