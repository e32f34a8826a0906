import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../models/src/backend.js';
import { RulModel } from '../../models/src/rul/rul-model.js';
import { rmse, phm08Score, truncateUnits, type UnitSeries } from '../../models/src/rul/cmapss.js';
import { saveRul, loadRul } from '../../models/src/model-store.js';
import { prepareUnit, encodePrepared } from '../../models/src/rul/rul-features.js';

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
  const model = RulModel.train(syntheticUnits(30, 1), { epochs: 12, window: 10, hidden: [32], dropout: 0, members: 2 });
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

test('an ensemble is one network that predicts the mean of its members', async () => {
  await initBackend();
  const units = syntheticUnits(12, 4);
  const config = { epochs: 4, window: 6, hidden: [8, 4], dropout: 0, smoothing: 0.3, summaries: [20], age: true, seed: 5 };
  const merged = RulModel.train(units, { ...config, members: 3 });
  const singles = [5, 6, 7].map((seed) => RulModel.train(units, { ...config, seed, members: 1 }));
  const cut = truncateUnits(units, 2, 20, 1).units;
  const each = singles.map((m) => m.predictUnits(cut));
  // Predictions are clipped at 0 per member but once for the merged network: compare where no member clips.
  const unclipped = cut.map((_, i) => i).filter((i) => each.every((p) => p[i]! > 0));
  assert.ok(unclipped.length >= cut.length / 2, `${unclipped.length} of ${cut.length} unclipped`);
  const got = merged.predictUnits(cut);
  for (const i of unclipped) {
    const mean = each.reduce((s, p) => s + p[i]!, 0) / each.length;
    assert.ok(Math.abs(got[i]! - mean) < 1e-3, `${got[i]} vs ${mean}`);
  }
  assert.ok(new Set(singles.map((m) => m.predictUnits(cut)[0]!.toFixed(3))).size > 1, 'members differ');
});

test('trailing means and slopes from prefix sums match a direct computation', () => {
  const rows = Array.from({ length: 50 }, (_, t) => [0.5 * t + Math.sin(t), 3]);
  const p = prepareUnit(rows, { columns: [0], center: [0], scale: [1] });
  const out = encodePrepared(p, 40, { window: 1, summaries: [10] }, new Float32Array(3));
  const ys = rows.slice(30, 40).map((r) => r[0]!);
  const my = ys.reduce((s, v) => s + v, 0) / 10;
  const slope = ys.reduce((s, v, i) => s + (i - 4.5) * (v - my), 0) / ys.reduce((s, _, i) => s + (i - 4.5) ** 2, 0);
  assert.ok(Math.abs(out[1]! - my) < 1e-4 && Math.abs(out[2]! - 10 * slope) < 1e-3, `${out[1]} ${my} ${out[2]} ${10 * slope}`);
});
