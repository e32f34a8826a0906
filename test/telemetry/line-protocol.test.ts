// The hand-written line protocol must be exactly what the InfluxDB client's Point class produces (the
// reference escaping), including awkward tag values from a fleet registry and quotes in string fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Point } from '@influxdata/influxdb-client';
import { eventToLine, readingToLine, statusToLine, STATE_CODE, type TagEnricher } from '../../server/telemetry/line-protocol.js';

const enrich: TagEnricher = () => ({ vendor: 'Acme, Inc', model: 'Magnet=3T x\\y' });
const id = { site: 'central', modality: 'mri' as const, scannerId: 'mri-1' };

test('telemetry lines match the client Point output', () => {
  const r = { ...id, ts: 1795420800123, metrics: { coldhead_temp_k: 4, helium_level_pct: 71.25, power_kw: -0.000001, vibration_mm_s: 1e21 } }; // Point sorts fields
  const p = new Point('telemetry').tag('site', 'central').tag('modality', 'mri').tag('scanner', 'mri-1').tag('vendor', 'Acme, Inc').tag('model', 'Magnet=3T x\\y');
  for (const [k, v] of Object.entries(r.metrics)) p.floatField(k, v);
  assert.equal(readingToLine(r, enrich), p.timestamp('1795420800123').toLineProtocol());
  assert.throws(() => readingToLine({ ...r, metrics: { x: Number.NaN } }));
});

test('status and event lines match the client Point output', () => {
  const s = { ...id, ts: 5, state: 'down' as const, reason: 'chiller "B" failed\\' };
  const ps = new Point('scanner_status').tag('site', 'central').tag('modality', 'mri').tag('scanner', 'mri-1')
    .stringField('state', 'down').intField('state_code', STATE_CODE.down).stringField('reason', s.reason).timestamp('5');
  assert.equal(statusToLine(s), ps.toLineProtocol());
  const e = { ...id, ts: 6, type: 'error' as const, code: 'E-1', detail: 'a "b"' };
  const pe = new Point('scanner_event').tag('site', 'central').tag('modality', 'mri').tag('scanner', 'mri-1').tag('type', 'error')
    .stringField('code', 'E-1').stringField('exam_type', '').stringField('detail', 'a "b"').timestamp('6');
  assert.equal(eventToLine(e), pe.toLineProtocol());
});
