import type { tf } from '../backend.js';
import { buildMlp, trainSync, DenseMirror } from '../core/dense-net.js';
import type { Normalization } from '../anomaly/window-forecaster.js';
import type { UnitSeries } from './cmapss.js';

export interface RulConfig {
  window: number;
  /** Targets are capped here: early in life the remaining life is not observable from wear. */
  cap: number;
  hidden: number[];
  dropout: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Columns whose |correlation| with capped RUL falls below this carry no wear signal. */
  minCorrelation: number;
  seed: number;
  /**
   * Off by default: it measured no better in the k-fold (docs/models.md). Appends per-column trend features to the flattened window: least-squares slope over the window, mean of
   * the last 5 rows, and the age of the unit (rows seen). Wear shows as drift, which a dense net over raw
   * noisy rows has to rediscover; the age carries the prior that old units have less life left. Optional so
   * artifacts saved before it existed load as they were trained.
   */
  trendFeatures?: boolean;
}

export const DEFAULT_RUL_CONFIG: RulConfig = {
  window: 30,
  cap: 125,
  hidden: [64, 32],
  dropout: 0.2,
  epochs: 20,
  batchSize: 128,
  learningRate: 0.002,
  minCorrelation: 0.2,
  seed: 11,
  trendFeatures: false,
};

/** Features per window: the flattened rows, then (with trend features) slope and recent mean per column, and age. */
export function featureCount(config: RulConfig, columns: number): number {
  return config.window * columns + (config.trendFeatures === true ? 2 * columns + 1 : 0);
}

export interface RulState {
  config: RulConfig;
  columns: number[];
  normalization: Normalization;
  model: tf.LayersModel;
}

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/** Capped remaining life of every row of a run-to-failure unit. */
export function cappedTargets(unit: UnitSeries, cap: number): number[] {
  const n = unit.rows.length;
  return unit.rows.map((_, i) => Math.min(cap, n - 1 - i));
}

/** Learned remaining-useful-life regressor over a sliding window of multivariate readings. */
export class RulModel {
  private readonly mirror: DenseMirror;

  private constructor(readonly state: RulState) {
    this.mirror = new DenseMirror(state.model);
  }

  static fromState(state: RulState): RulModel {
    return new RulModel(state);
  }

  /** Trains on run-to-failure units (the last row of each unit is its failure). */
  static train(units: UnitSeries[], partial: Partial<RulConfig> = {}, onEpoch?: (epoch: number, loss: number) => void): RulModel {
    const config = { ...DEFAULT_RUL_CONFIG, ...partial };
    const allRows = units.flatMap((u) => u.rows);
    const targets = units.flatMap((u) => cappedTargets(u, config.cap));
    const width = allRows[0]?.length ?? 0;
    const columns: number[] = [];
    for (let c = 0; c < width; c++) {
      if (Math.abs(correlation(allRows.map((r) => r[c]!), targets)) >= config.minCorrelation) columns.push(c);
    }
    if (columns.length === 0) throw new Error('no column correlates with remaining life');
    const center = columns.map((c) => allRows.reduce((s, r) => s + r[c]!, 0) / allRows.length);
    const scale = columns.map((c, k) => Math.sqrt(allRows.reduce((s, r) => s + (r[c]! - center[k]!) ** 2, 0) / allRows.length) || 1);
    const inputs = featureCount(config, columns.length);
    const model = buildMlp({ inputs, hidden: config.hidden, outputs: 1, dropout: config.dropout }, config.seed);
    const rm = new RulModel({ config, columns, normalization: { center, scale }, model });
    const samples = units.reduce((s, u) => s + u.rows.length, 0);
    const x = new Float32Array(samples * inputs);
    const y = new Float32Array(samples);
    let k = 0;
    for (const u of units) {
      const t = cappedTargets(u, config.cap);
      for (let end = 1; end <= u.rows.length; end++) {
        rm.encode(u.rows, end, x.subarray(k * inputs, (k + 1) * inputs));
        y[k++] = t[end - 1]! / config.cap;
      }
    }
    trainSync(model, x, y, k, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      seed: config.seed,
      ...(onEpoch ? { onEpoch } : {}),
    });
    return new RulModel(rm.state);
  }

  /**
   * Encodes rows [end-window, end) as normalized features. Units shorter than the window are
   * padded with their first row, as test units can be cut after a few cycles.
   */
  encode(rows: number[][], end: number, out = new Float32Array(featureCount(this.state.config, this.state.columns.length))): Float32Array {
    const { columns, normalization, config } = this.state;
    const f = columns.length;
    const w = config.window;
    for (let k = 0; k < w; k++) {
      const row = rows[Math.max(0, end - w + k)]!;
      for (let j = 0; j < f; j++) out[k * f + j] = (row[columns[j]!]! - normalization.center[j]!) / normalization.scale[j]!;
    }
    if (config.trendFeatures !== true) return out;
    // Slope over the real rows of the window only (padding would flatten it), in scale units per 10 cycles.
    const n = Math.min(w, end);
    const mx = (n - 1) / 2;
    const sxx = Math.max(1e-9, (n * (n * n - 1)) / 12);
    const base = w * f;
    for (let j = 0; j < f; j++) {
      let sxy = 0;
      let recent = 0;
      for (let k = 0; k < n; k++) sxy += (k - mx) * out[(w - n + k) * f + j]!;
      for (let k = w - Math.min(5, n); k < w; k++) recent += out[k * f + j]!;
      out[base + 2 * j] = n > 1 ? (10 * sxy) / sxx : 0;
      out[base + 2 * j + 1] = recent / Math.min(5, n);
    }
    out[base + 2 * f] = end / 200;
    return out;
  }

  /** Remaining life (in the units' cycle unit) after the last of `rows`. */
  predict(rows: number[][]): number {
    if (rows.length === 0) throw new RangeError('predict needs at least one row');
    const out = this.mirror.forward(this.encode(rows, rows.length))[0]!;
    return Math.max(0, out * this.state.config.cap);
  }

  predictUnits(units: UnitSeries[]): number[] {
    return units.map((u) => this.predict(u.rows));
  }

  dispose(): void {
    this.state.model.dispose();
  }
}
