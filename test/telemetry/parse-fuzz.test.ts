// Hostile-input property test of the payload parser: whatever bytes a device sends on whatever topic, parsing
// returns accept or reject with a reason and never throws (a throw used to withhold the PUBACK and make the
// broker redeliver the message forever: `{"ts":1e20}` did). Also: readable schema errors, plausible ranges,
// and free text scrubbed of patient identifiers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScannerMessage } from '../../collectors/scanner-telemetry/parse.js';
import { REJECT_REASONS } from '../../contracts/index.js';
import { seededRandom } from '../../lib/random.js';

const limits = { maxPayloadBytes: 4096, maxSamplesPerMessage: 50, maxFutureSkewMs: 60000, maxPastAgeMs: 30 * 86400000 };
const now = Date.parse('2026-11-23T10:00:00Z');
const T = 'gantry/v1/central/mri/mri-1/';
const parse = (payload: unknown, topic = `${T}telemetry`) =>
  parseScannerMessage(topic, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), limits, now);

const NASTY_NUMBERS = [1e20, -1e20, 1e308, -1e308, 8.64e15 + 1, Number.MAX_SAFE_INTEGER, -1, 0, 1e11 - 1, 1e11, 0.5, -0];
const NASTY_STRINGS = ['', '\u0000', '+275760-09-13T00:00:00Z', '9999-99-99T99:99:99Z', '2026-11-23T10:00:00Z', 'DOE^JOHN', '__proto__', 'x'.repeat(300), '\uD800'];
const NASTY_VALUES: unknown[] = [...NASTY_NUMBERS, ...NASTY_STRINGS, null, true, [], {}, [1], { a: 1 }];

function mutate(rand: () => number, base: unknown, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  if (depth > 3 || rand() < 0.15) return pick(NASTY_VALUES);
  if (Array.isArray(base)) return base.map((v) => mutate(rand, v, depth + 1)).concat(rand() < 0.1 ? [pick(NASTY_VALUES)] : []);
  if (base && typeof base === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(base)) if (rand() > 0.1) out[rand() < 0.05 ? pick(NASTY_STRINGS) : k] = mutate(rand, v, depth + 1);
    if (rand() < 0.1) out[pick(['pad', 'constructor', '__proto__', 'samples', 'ts'])] = pick(NASTY_VALUES);
    return out;
  }
  return rand() < 0.5 ? base : pick(NASTY_VALUES);
}

const SEEDS: [string, unknown][] = [
  ['telemetry', { ts: now, metrics: { helium_level_pct: 70, shield_temp_k: 40 } }],
  ['telemetry', { samples: [{ ts: now, metrics: { power_kw: 20 } }, { ts: '2026-11-23T09:00:00Z', metrics: { power_kw: 21 } }] }],
  ['status', { ts: now, state: 'down', reason: 'chiller fault' }],
  ['status', { statuses: [{ ts: now, state: 'up' }] }],
  ['event', { ts: now, type: 'error', code: 'E-4711', detail: 'gradient overtemperature' }],
  ['event', { events: [{ ts: now, type: 'exam_start', examType: 'brain' }] }],
];
const TOPICS = [`${T}telemetry`, `${T}status`, `${T}event`, 'gantry/v1/central/mri/mri-1/Telemetry', 'gantry/v1/a/b/c/d/e/f', 'gantry/v1/x\u0000/mri/a/status', 'gantry', ''];

test('the 1e20 timestamp of the issue is a reject, not an exception', () => {
  const r = parse({ ts: 1e20, metrics: { helium_level_pct: 70 } });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, 'future_timestamp');
});

test('5,000 mutated payloads on good and bad topics: parse never throws and always says accept or reject with a reason', () => {
  const rand = seededRandom(14);
  const reasons = new Map<string, number>();
  for (let i = 0; i < 5000; i++) {
    const [channel, seed] = SEEDS[i % SEEDS.length] as [string, unknown];
    const topic = rand() < 0.85 ? `${T}${channel}` : TOPICS[Math.floor(rand() * TOPICS.length)] as string;
    const body = mutate(rand, seed);
    const bytes = rand() < 0.05 ? Buffer.from(JSON.stringify(body) ?? 'null').subarray(0, Math.floor(rand() * 40)) : Buffer.from(JSON.stringify(body) ?? 'null');
    let r: ReturnType<typeof parseScannerMessage> | undefined;
    assert.doesNotThrow(() => { r = parseScannerMessage(topic, bytes, limits, now); }, `threw on ${topic} ${bytes.toString()}`);
    assert.ok(r);
    if (r.ok) continue;
    assert.ok((REJECT_REASONS as readonly string[]).includes(r.reason), r.reason);
    assert.ok(r.detail.length > 0);
    assert.ok(!/Expected union value$/.test(r.detail), `unhelpful detail: ${r.detail}`);
    reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  }
  assert.ok(reasons.size >= 5, `only ${[...reasons.keys()].join(', ')}`);
  assert.equal(reasons.get('parse_error') ?? 0, 0, 'a payload reached the exception fallback');
});

test('schema rejects name the field and what was expected', () => {
  const cases: [unknown, RegExp, string?][] = [
    [{ ts: now, metrics: { power_kw: 'high' } }, /^\/metrics\/power_kw: .*number.*got string/],
    [{ ts: 'yesterday', metrics: { power_kw: 1 } }, /^\/ts: expected number \(≥ 0\) or string \(RFC 3339 date-time\), got string/],
    [{ samples: [{ ts: now, metrics: { power_kw: 1 } }, { ts: now }] }, /^\/samples\/1\/metrics: required field missing/],
    [{ ts: now, state: 'on fire' }, /^\/state: expected "up" or "degraded" or "down" or "maintenance", got string/, `${T}status`],
  ];
  for (const [payload, re, topic] of cases) {
    const r = parse(payload, topic);
    assert.ok(!r.ok && re.test(r.detail), `${JSON.stringify(payload)} → ${JSON.stringify(r)}`);
  }
});

test('values outside the catalog\'s plausible range are rejected; 1e308 never reaches storage', () => {
  for (const v of [1e308, -1e308, 400, -1]) {
    const r = parse({ ts: now, metrics: { shield_temp_k: v } });
    assert.equal(!r.ok && r.reason, 'implausible_value', `${v}: ${JSON.stringify(r)}`);
  }
  assert.equal(parse({ ts: now, metrics: { shield_temp_k: 74 } }).ok, true);
});

test('free text is stored without patient identifiers', () => {
  const s = parse({ ts: now, state: 'down', reason: 'Patient DOE^JOHN MRN 12345678' }, `${T}status`);
  const e = parse({ ts: now, type: 'error', code: 'E-1', detail: 'table stuck, DOB 1970-01-31 pid 00012345' }, `${T}event`);
  const text = JSON.stringify([s, e]);
  assert.ok(s.ok && e.ok, text);
  for (const id of ['DOE', 'JOHN', '12345678', '1970-01-31', '00012345']) assert.ok(!text.includes(id), `${id} kept: ${text}`);
  assert.match(text, /table stuck/);
  const bad = parse('{"Patient DOE^JOHN', `${T}status`);
  assert.ok(!bad.ok && !bad.detail.includes('DOE'), JSON.stringify(bad));
});
