// Validation that imitates the official C-MAPSS test protocol with only run-to-failure data: units are split
// into k folds; each fold's units are cut at random points (as the official test engines are cut before
// failure) and predicted by models trained on the other folds. Every unit is scored exactly once.
import { truncateUnits, rmse, phm08Score, type UnitSeries } from './cmapss.js';
import { RulModel, type RulConfig } from './rul-model.js';

export interface KFoldOptions {
  folds: number;
  /** Random cut points per held-out unit. */
  cuts: number;
  /** Rows kept at least (the official FD001 test engines have 31 or more). */
  minRows: number;
  /** Largest life left after a cut (the official FD001 test: at most 145); Infinity cuts anywhere. */
  maxRul: number;
  seed: number;
  /** Models per fold with seeds seed, seed+1, ...; predictions are averaged. */
  ensemble: number;
  onFold?: (fold: number, trained: number) => void;
}

export interface KFoldResult {
  pred: number[];
  truth: number[];
  rmseCapped: number;
  rmseUncapped: number;
  phm08PerCase: number;
}

/** Trains `ensemble` models and averages their predictions. */
export function ensemblePredict(train: UnitSeries[], test: UnitSeries[], config: Partial<RulConfig>, seed: number, size: number): number[] {
  const sums = new Array<number>(test.length).fill(0);
  for (let m = 0; m < size; m++) {
    const model = RulModel.train(train, { ...config, seed: seed + m });
    model.predictUnits(test).forEach((p, i) => (sums[i]! += p));
    model.dispose();
  }
  return sums.map((s) => s / size);
}

export function kFoldRul(units: UnitSeries[], config: Partial<RulConfig>, o: KFoldOptions): KFoldResult {
  const pred: number[] = [];
  const truth: number[] = [];
  for (let f = 0; f < o.folds; f++) {
    // Interleaved folds: every fold spans short- and long-lived units alike.
    const held = units.filter((_, i) => i % o.folds === f);
    const train = units.filter((_, i) => i % o.folds !== f);
    const cut = truncateUnits(held, o.cuts, o.minRows, o.seed + 1000 * f, o.maxRul);
    pred.push(...ensemblePredict(train, cut.units, config, o.seed, o.ensemble));
    truth.push(...cut.truth);
    o.onFold?.(f + 1, train.length);
  }
  const cap = config.cap ?? 125;
  const capped = truth.map((t) => Math.min(cap, t));
  return {
    pred,
    truth,
    rmseCapped: rmse(pred, capped),
    rmseUncapped: rmse(pred, truth),
    phm08PerCase: phm08Score(pred, capped) / Math.max(1, pred.length),
  };
}
