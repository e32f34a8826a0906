import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../models/src/backend.js';
import { RulModel } from '../../models/src/rul/rul-model.js';
import { rmse, phm08Score, truncateUnits, type UnitSeries } from '../../models/src/rul/cmapss.js';
import { saveRul, loadRul } from '../../models/src/model-store.js';

/** Run-to-failure units whose wear shows in two of four columns, as in C-MAPSS. */
function syntheticUnits(count: number, seed: number): UnitSeries[] {
  const units: UnitSeries[] = [];
  for (let u = 0; u < count; u++) {
    const life = 120 + ((u * 37 + seed * 11) % 120);
    const rows: number[][] = [];
    for (let c = 0; c < life; c++) {
      const wear = Math.exp((c - life) / 40);
      const n = (k: number): number => 0.05 * Math.sin((u + 1) * 31.7 * (c + 1) * (k + 1));
      rows.push([1 + n(0), 5 + 3 * wear + n(1), 2 + n(2), 8 - 2 * wear + n(3)]);
    }
    units.push({ unit: u + 1, cycles: rows.map((_, i) => i + 1), rows });
  }
  return units;
}

test('scoring functions match hand-computed values', () => {
  assert.equal(rmse([10, 20], [13, 16]), Math.sqrt((9 + 16) / 2));
  assert.ok(Math.abs(phm08Score([10], [20]) - (Math.exp(10 / 13) - 1)) < 1e-12);
  assert.ok(Math.abs(phm08Score([30], [20]) - (Math.exp(1) - 1)) < 1e-12);
  const cut = truncateUnits(syntheticUnits(3, 1), 4, 30, 9);
  assert.equal(cut.units.length, 12);
  cut.units.forEach((u, i) => assert.ok(u.rows.length >= 30 && cut.truth[i]! >= 0));
});

test('learns remaining life from wear columns, beats the mean predictor, and round-trips through an artifact', async () => {
  await initBackend();
  const model = RulModel.train(syntheticUnits(30, 1), { epochs: 12, window: 10, hidden: [32], dropout: 0 });
  assert.deepEqual(model.state.columns, [1, 3]);
  const held = truncateUnits(syntheticUnits(8, 2), 5, 20, 3);
  const truth = held.truth.map((t) => Math.min(125, t));
  const pred = model.predictUnits(held.units);
  const mean = truth.reduce((s, v) => s + v, 0) / truth.length;
  const err = rmse(pred, truth);
  assert.ok(err < 0.5 * rmse(truth.map(() => mean), truth), `rmse ${err}`);

  const root = mkdtempSync(join(tmpdir(), 'gantry-rul-'));
  try {
    const meta = {
      name: 'rul-test',
      version: 'v1',
      createdAt: new Date(0).toISOString(),
      backend: 'test',
      dataWindow: { from: null, to: null, rows: 0, source: 'synthetic' },
      metrics: { rmse: err },
      trainingHash: 'x',
      features: ['a', 'b'],
    };
    await saveRul(root, model, meta);
    const { model: loaded, metadata } = await loadRul(root, 'rul-test');
    assert.equal(metadata.kind, 'rul');
    assert.deepEqual(loaded.predictUnits(held.units), pred);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
