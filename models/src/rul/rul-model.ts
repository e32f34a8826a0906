import type { tf } from '../backend.js';
import { buildMlp, trainSync, mergeMlps, DenseMirror } from '../core/dense-net.js';
import type { Normalization } from '../anomaly/window-forecaster.js';
import type { UnitSeries } from './cmapss.js';
import { featureCount, prepareUnit, encodePrepared, type FeatureConfig } from './rul-features.js';

export interface RulConfig extends FeatureConfig {
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
   * Networks trained (seeds seed, seed+1, ...) and averaged, merged into one network (mergeMlps) so an
   * ensemble saves and scores like a single model. Absent: 1.
   */
  members?: number;
}

/** Chosen by inner validation (docs/models.md, section 2). */
export const DEFAULT_RUL_CONFIG: RulConfig = {
  window: 10,
  cap: 125,
  hidden: [64, 32],
  dropout: 0.2,
  epochs: 20,
  batchSize: 128,
  learningRate: 0.002,
  minCorrelation: 0.2,
  seed: 11,
  smoothing: 0.2,
  summaries: [30, 80],
  baseline: true,
  age: true,
  members: 5,
};

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
    const norm = { columns, center, scale };
    const samples = units.reduce((s, u) => s + u.rows.length, 0);
    const x = new Float32Array(samples * inputs);
    const y = new Float32Array(samples);
    let k = 0;
    for (const u of units) {
      const t = cappedTargets(u, config.cap);
      const p = prepareUnit(u.rows, norm, config.smoothing);
      for (let end = 1; end <= u.rows.length; end++) {
        encodePrepared(p, end, config, x.subarray(k * inputs, (k + 1) * inputs));
        y[k++] = t[end - 1]! / config.cap;
      }
    }
    const shape = { inputs, hidden: config.hidden, outputs: 1, dropout: config.dropout };
    const members = Array.from({ length: Math.max(1, config.members ?? 1) }, (_, m) => {
      const net = buildMlp(shape, config.seed + m);
      trainSync(net, x, y, k, {
        epochs: config.epochs,
        batchSize: config.batchSize,
        learningRate: config.learningRate,
        seed: config.seed + m,
        ...(onEpoch ? { onEpoch: (e: number, loss: number) => onEpoch(m * config.epochs + e, loss) } : {}),
      });
      return net;
    });
    const model = members.length === 1 ? members[0]! : mergeMlps(members, shape);
    if (members.length > 1) members.forEach((net) => net.dispose());
    return new RulModel({ config, columns, normalization: { center, scale }, model });
  }

  /** Features of the unit after its first `end` rows (see rul-features.ts). */
  encode(rows: number[][], end: number, out?: Float32Array): Float32Array {
    const { config } = this.state;
    const p = prepareUnit(rows.slice(0, end), this.normalizer(), config.smoothing);
    return encodePrepared(p, end, config, out ?? new Float32Array(featureCount(config, this.state.columns.length)));
  }

  private normalizer(): { columns: number[]; center: number[]; scale: number[] } {
    return { columns: this.state.columns, ...this.state.normalization };
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
