// docs/mqtt-api.md is generated from the contracts; it must be current, and its examples must be valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { invalidExamples, renderMqttApiDoc } from '../../server/telemetry/mqtt-api-doc.js';
import { parseScannerMessage } from '../../collectors/scanner-telemetry/parse.js';
import { EXAMPLES } from '../../server/telemetry/mqtt-api-doc.js';

test('docs/mqtt-api.md matches the contracts (run npm run docs:mqtt)', () => {
  assert.equal(readFileSync('docs/mqtt-api.md', 'utf8'), renderMqttApiDoc());
});

test('every documented example is valid and accepted by the collector', () => {
  assert.deepEqual(invalidExamples(), []);
  const limits = { maxPayloadBytes: 262144, maxSamplesPerMessage: 1000, maxFutureSkewMs: 300000 };
  for (const [channel, list] of Object.entries(EXAMPLES)) {
    for (const ex of list) {
      const r = parseScannerMessage(`gantry/v1/central/mri/mri-1/${channel}`, Buffer.from(JSON.stringify(ex)), limits, Date.UTC(2026, 10, 23, 12));
      assert.ok(r.ok, `${channel} example rejected: ${JSON.stringify(r)}`);
    }
  }
});
