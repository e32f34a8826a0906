import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert, TelemetryReading } from '../../contracts/index.js';
import { forecastRisk, hiddenBreach, limitState, riskScore, tileState } from '../../web/src/lib/risk.js';
import { formatValue } from '../../web/src/lib/format.js';

const mri = (metrics: Record<string, number>): TelemetryReading => ({ site: 's', modality: 'mri', scannerId: 'm1', ts: 0, metrics });
const alert = (severity: Alert['severity']): Alert => ({
  id: 'a', ruleId: 'r', site: 's', modality: 'mri', scannerId: 'm1', metric: 'helium_level_pct', severity, state: 'firing', value: 1, threshold: 2, message: '', startsAt: 0,
});

test('catalog limits decide the tile state when no alert is open', () => {
  assert.equal(limitState(mri({ helium_level_pct: 80 })), 'ok');
  assert.equal(limitState(mri({ helium_level_pct: 55 })), 'warning');
  assert.equal(limitState(mri({ helium_level_pct: 45 })), 'critical');
  assert.equal(limitState(mri({ coldhead_temp_k: 7 })), 'critical');
});

test('a breach of a metric the tile does not list is named, critical first', () => {
  assert.equal(hiddenBreach(mri({ helium_level_pct: 40 })), undefined, 'helium level is a key metric, shown anyway');
  assert.equal(hiddenBreach(mri({ helium_boiloff_l_per_day: 3 }))?.metric.name, 'helium_boiloff_l_per_day');
  assert.equal(hiddenBreach(mri({ helium_boiloff_l_per_day: 3 }))?.state, 'critical');
});

test('an open critical alert makes the tile critical even when values look fine', () => {
  assert.equal(tileState(mri({ helium_level_pct: 80 }), [alert('critical')]), 'critical');
  assert.equal(tileState(mri({ helium_level_pct: 80 }), [alert('warning')]), 'warning');
});

test('risk ranks alerts first, then distance outside the normal range', () => {
  const calm = riskScore(mri({ helium_level_pct: 80 }), []);
  const drifting = riskScore(mri({ helium_level_pct: 62 }), []);
  const alerting = riskScore(mri({ helium_level_pct: 80 }), [alert('critical')]);
  assert.equal(calm, 0);
  assert.ok(drifting > calm);
  assert.ok(alerting > drifting);
});

test('a failure forecast raises risk, more the sooner it is, but never above a critical alert', () => {
  const calm = riskScore(mri({ helium_level_pct: 80 }), []);
  const soon = riskScore(mri({ helium_level_pct: 80 }), [], { timeToFailureMs: 3_600_000 });
  const later = riskScore(mri({ helium_level_pct: 80 }), [], { timeToFailureMs: 10 * 86_400_000 });
  const critical = riskScore(mri({ helium_level_pct: 80 }), [alert('critical')]);
  assert.ok(soon > later && later > calm, `${soon} > ${later} > ${calm}`);
  assert.ok(soon > riskScore(mri({ helium_level_pct: 80 }), [alert('warning')]), 'an imminent failure outranks a warning');
  assert.ok(critical > soon);
  assert.ok(riskScore(mri({ helium_level_pct: 80 }), [], { anomalous: true }) > calm);
  assert.equal(forecastRisk(undefined), 0);
});

test('values are formatted with units and never as NaN', () => {
  assert.equal(formatValue(71.234, '%'), '71.2 %');
  assert.equal(formatValue(4.1, 'K'), '4.10 K');
  assert.equal(formatValue(undefined, 'K'), '—');
  assert.equal(formatValue(Number.NaN, 'K'), '—');
  assert.equal(formatValue(1, 'bool'), 'on');
});
