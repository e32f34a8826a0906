// Rules as data: validation errors name the file, the rule and the field; a bad rule is skipped, not the
// file; catalog defaults; the shipped rule files load cleanly; a changed file is reloaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../lib/logger.js';
import { RulesLoader, type RuleSet } from '../../server/alerts/rules-loader.js';
import { eventually } from '../support/platform.js';
import { rulesDir } from './support.js';

const log = createLogger('silent');
const loader = (dir: string, onChange: (s: RuleSet) => void = () => undefined, catalogDefaults = false) =>
  new RulesLoader({ rulesDir: dir, editableFile: join(dir, '..', 'api.yaml'), catalogDefaults, catalogForMs: 0 }, log, onChange);

test('an invalid rule is reported with file, rule and field, and only that rule is skipped', () => {
  const dir = rulesDir({
    'a.yaml': `
rules:
  - { id: ok-rule, kind: threshold, metric: tube_temp_c, op: above, warning: 100 }
  - { id: bad-for, kind: threshold, metric: tube_temp_c, op: above, warning: 100, for: soon }
  - { id: no-level, kind: threshold, metric: tube_temp_c, op: above }
  - { id: wrong-side, kind: threshold, metric: tube_temp_c, op: above, warning: 100, recover: 120 }
  - { id: bad-kind, kind: thresh }
  - { id: bad-nm, kind: anomaly, n: 6, m: 5 }
  - { id: typo, kind: nodata, interval: 10s, intervals: 3, intervalz: 4 }
`,
    'b.yaml': 'rules: [ { id: x, kind: threshold\n',
  });
  const set = loader(dir).load();
  assert.deepEqual(set.rules.map((r) => r.rule.id), ['ok-rule']);
  const errors = set.errors.join('\n');
  assert.match(errors, /a\.yaml: rule "bad-for": field "for"/);
  assert.match(errors, /a\.yaml: rule "no-level": field "warning": a warning or critical level is required/);
  assert.match(errors, /a\.yaml: rule "wrong-side": field "recover"/);
  assert.match(errors, /a\.yaml: rule "bad-kind": field "kind": must be one of threshold, rate, nodata, anomaly, predictive, pacs/);
  assert.match(errors, /a\.yaml: rule "bad-nm": field "n": must not exceed m/);
  assert.match(errors, /a\.yaml: rule "typo": field "intervalz"/);
  assert.match(errors, /b\.yaml: not valid YAML/);
});

test('catalog defaults: warning/critical levels per metric and modality, recovery halfway to normal', () => {
  const set = loader(rulesDir({}), undefined, true).load();
  const helium = set.rules.find((r) => r.rule.id === 'catalog.mri.helium_level_pct.low')?.rule;
  assert.deepEqual(helium && { ...helium, title: undefined }, {
    id: 'catalog.mri.helium_level_pct.low', kind: 'threshold', title: undefined, metric: 'helium_level_pct', op: 'below',
    warning: 60, critical: 50, recover: 62.5, for: 0, scope: { modality: ['mri'] }, roles: ['biomed'],
  });
  assert.ok(set.rules.some((r) => r.rule.id === 'catalog.ct.tube_temp_c.high'));
  assert.ok(set.rules.length > 30);
});

test('the shipped rule files load without errors; a fleet-wide file rule replaces the catalog default', () => {
  const set = new RulesLoader({ rulesDir: 'rules', editableFile: join(rulesDir({}), 'api.yaml'), catalogDefaults: true, catalogForMs: 0 }, log, () => undefined).load();
  assert.deepEqual(set.errors, []);
  assert.deepEqual([...new Set(set.rules.map((r) => r.rule.kind))].sort(), ['anomaly', 'nodata', 'pacs', 'predictive', 'rate', 'threshold']);
  const ids = set.rules.map((r) => r.rule.id);
  assert.ok(ids.includes('mri-helium-low'));
  assert.ok(!ids.includes('catalog.mri.helium_level_pct.low'), 'replaced by mri-helium-low');
  assert.ok(ids.includes('catalog.mri.helium_pressure_psi.low'));
});

test('a changed file is reloaded; a file made invalid keeps its last good rules', async () => {
  const dir = rulesDir({ 'a.yaml': 'rules: [ { id: one, kind: threshold, metric: tube_temp_c, op: above, warning: 100 } ]\n' });
  const sets: RuleSet[] = [];
  const l = loader(dir, (s) => sets.push(s));
  l.load();
  l.watch();
  try {
    writeFileSync(join(dir, 'a.yaml'), 'rules: [ { id: two, kind: threshold, metric: tube_temp_c, op: above, warning: 110 } ]\n');
    await eventually('reloaded', async () => sets[sets.length - 1]?.rules.map((r) => r.rule.id), (ids) => ids?.[0] === 'two', 5000);
    writeFileSync(join(dir, 'a.yaml'), 'rules: [ broken\n');
    await eventually('reloaded with error', async () => sets[sets.length - 1]?.errors ?? [], (e) => e.length > 0, 5000);
    assert.deepEqual(sets[sets.length - 1]?.rules.map((r) => r.rule.id), ['two']);
  } finally { l.stop(); }
});
