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
  /** Seeds the cut points (the model's seed is config.seed). */
  seed: number;
  onFold?: (fold: number, trained: number) => void;
}

/**
 * The truth is capped at 125 for scoring whatever cap the model trains with (the published convention),
 * so models trained with other caps stay comparable.
 */
export const TRUTH_CAP = 125;

export interface KFoldResult {
  pred: number[];
  truth: number[];
  rmseCapped: number;
  rmseUncapped: number;
  phm08PerCase: number;
  /** RMSE against the capped truth of each fold's cases, fold 1 first. */
  foldRmseCapped: number[];
}

/** Trains one model (an ensemble when config.members > 1) and predicts the test units. */
export function trainAndPredict(train: UnitSeries[], test: UnitSeries[], config: Partial<RulConfig>): number[] {
  const model = RulModel.train(train, config);
  const pred = model.predictUnits(test);
  model.dispose();
  return pred;
}

export function kFoldRul(units: UnitSeries[], config: Partial<RulConfig>, o: KFoldOptions): KFoldResult {
  const pred: number[] = [];
  const truth: number[] = [];
  const bounds: number[] = [0];
  for (let f = 0; f < o.folds; f++) {
    // Interleaved folds: every fold spans short- and long-lived units alike.
    const held = units.filter((_, i) => i % o.folds === f);
    const train = units.filter((_, i) => i % o.folds !== f);
    const cut = truncateUnits(held, o.cuts, o.minRows, o.seed + 1000 * f, o.maxRul);
    pred.push(...trainAndPredict(train, cut.units, config));
    truth.push(...cut.truth);
    bounds.push(pred.length);
    o.onFold?.(f + 1, train.length);
  }
  const capped = truth.map((t) => Math.min(TRUTH_CAP, t));
  return {
    pred,
    truth,
    rmseCapped: rmse(pred, capped),
    rmseUncapped: rmse(pred, truth),
    phm08PerCase: phm08Score(pred, capped) / Math.max(1, pred.length),
    foldRmseCapped: bounds.slice(1).map((b, f) => rmse(pred.slice(bounds[f], b), capped.slice(bounds[f], b))),
  };
}
