import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTelemetry } from '../../collectors/scanner-telemetry/parse.js';

const limits = { maxPayloadBytes: 1024, maxSamplesPerMessage: 3, maxFutureSkewMs: 60000 };
const topic = 'gantry/v1/central/mri/central-mri-1/telemetry';
const now = Date.parse('2026-11-23T10:00:00Z');
const parse = (payload: unknown, t = topic) =>
  parseTelemetry(t, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), limits, now);

test('a single sample is accepted with its topic identity and ms timestamp', () => {
  const r = parse({ ts: '2026-11-23T09:59:59Z', metrics: { helium_level_pct: 71.5 } });
  assert.deepEqual(r, { ok: true, readings: [{ site: 'central', modality: 'mri', scannerId: 'central-mri-1', ts: now - 1000, metrics: { helium_level_pct: 71.5 } }] });
});

test('a batch is accepted; epoch seconds are read as seconds', () => {
  const r = parse({ samples: [{ ts: now / 1000 - 2, metrics: { power_kw: 20 } }, { ts: now - 1000, metrics: { power_kw: 21 } }] });
  assert.equal(r.ok, true);
  assert.deepEqual(r.ok && r.readings.map((x) => x.ts), [now - 2000, now - 1000]);
});

const rejects: [string, unknown, string, string?][] = [
  ['bad_topic', { ts: now, metrics: { power_kw: 1 } }, 'bad_topic', 'gantry/v1/central/mri/telemetry'],
  ['unknown modality', { ts: now, metrics: { power_kw: 1 } }, 'bad_topic', 'gantry/v1/central/mr/x/telemetry'],
  ['malformed json', '{"ts": 1, "metrics": {', 'malformed_json'],
  ['wrong type', { ts: now, metrics: { power_kw: 'high' } }, 'schema'],
  ['extra field', { ts: now, metrics: { power_kw: 1 }, patientName: 'X' }, 'schema'],
  ['empty metrics', { ts: now, metrics: {} }, 'schema'],
  ['unknown metric', { ts: now, metrics: { tube_temp_c: 40 } }, 'unknown_metric'],
  ['future timestamp', { ts: now + 120000, metrics: { power_kw: 1 } }, 'future_timestamp'],
  ['too many samples', { samples: Array.from({ length: 4 }, () => ({ ts: now, metrics: { power_kw: 1 } })) }, 'too_many_samples'],
  ['oversize', { ts: now, metrics: { power_kw: 1 }, pad: 'x'.repeat(2000) }, 'oversize'],
];

for (const [name, payload, reason, t] of rejects) {
  test(`rejects ${name} as ${reason} with a reason`, () => {
    const r = parse(payload, t);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.reason, reason);
      assert.ok(r.detail.length > 0);
    }
  });
}
