import { RollingWindow, TailCalibrator, logScore } from '../core/stats.js';
import { ContextNovelty } from './context-novelty.js';
import { WindowForecaster, type Normalization, type ForecasterShape } from './window-forecaster.js';
import type { tf } from '../backend.js';

export interface DetectorConfig extends ForecasterShape {
  /** Samples seen before the first fit of an untrained detector. */
  warmup: number;
  /** Refit on recent history every N samples (0: never), so the model follows slow drift. */
  refitEvery: number;
  historySize: number;
  maxSteps: number;
  maxEpochs: number;
  /** Samples of short-term score means kept to calibrate against. */
  calibrationSize: number;
  shortWindow: number;
  /** Samples of raw values the statistical stage compares against. */
  statWindow: number;
  threshold: number;
  /** After a detection, further scores are damped for this many samples: one event, one alarm. */
  suppress: number;
  /**
   * After a detection, scores are zero for this many samples (0: off), before the linear damping: NAB
   * charges every later detection outside the window as a false positive, and live one event should page once.
   */
  rest: number;
  rateWindow: number;
  /** Levels of the contextual-novelty stage (CAD OSE idea, `context-novelty.ts`); 0 switches it off. */
  contextLevels: number;
  /** Longest context the novelty stage checks. */
  contextOrder: number;
  /** Short-term averaging of the novelty before calibration (Numenta's likelihood window). */
  contextShort: number;
  /**
   * Per-metric floor on the spread used to standardize (metric units; missing = 0). A count that is
   * usually 0 has almost no spread, and its first 1 would otherwise be a many-sigma event; the metric
   * catalog knows which metrics are counts.
   */
  minScale: number[];
  /**
   * Per-metric: an on/off metric, idle (|value| <= its minScale) between uses, e.g. tube current between
   * exams. Its statistical stage ignores idle samples and compares an active value only with earlier active
   * values: against a window of mostly zeros, every exam start would read as an extreme jump.
   */
  intermittent: boolean[];
  /**
   * Per-metric: the metric follows exam load (anode heat, tube current, power). Its statistical and context
   * stages are skipped: every exam ramps it by many of its recent standard deviations, so a per-metric
   * test cries wolf (23 false alarms from anode heat on one simulated seed). The learned forecaster, which
   * sees all metrics and the time of day together, still covers it.
   */
  loadFollowing: boolean[];
  /** Which stages vote; ablations in docs/models.md use 'model' and 'stat'. */
  stages: 'both' | 'model' | 'stat';
  seed: number;
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = {
  dims: 1,
  window: 12,
  hidden: [32, 16],
  timeFeatures: true,
  warmup: 400,
  refitEvery: 2000,
  historySize: 3000,
  maxSteps: 300,
  maxEpochs: 40,
  calibrationSize: 2000,
  shortWindow: 12,
  statWindow: 600,
  threshold: 0.5,
  suppress: 60,
  rest: 100,
  rateWindow: 100,
  contextLevels: 12,
  contextOrder: 6,
  contextShort: 12,
  minScale: [],
  intermittent: [],
  loadFollowing: [],
  stages: 'both',
  seed: 7,
};

export interface DetectorResult {
  score: number;
  anomalous: boolean;
  /**
   * The score before the rest and damping after a detection. `score` reports an event once (NAB charges
   * repeats, a dashboard should not blink); `rawScore` says whether the sample itself still looks anomalous,
   * which is what alert gating counts: a fault that persists keeps it high, a blip does not.
   */
  rawScore: number;
  /** Share of the last `rateWindow` samples whose raw score reached the threshold. */
  anomalyRate: number;
  /**
   * What drove the score: the learned forecaster (all metrics together) or the statistical stage on one
   * metric (its index), so an alert can name the metric that looks unusual.
   */
  cause?: { stage: 'model' } | { stage: 'stat'; dim: number };
}

export interface DetectorState {
  config: DetectorConfig;
  normalization: Normalization;
  calibration: { errorMean: number; errorStd: number; threshold: number };
  model: tf.LayersModel;
}

export class StreamingAnomalyDetector {
  readonly config: DetectorConfig;
  private forecaster: WindowForecaster;
  private fitted: boolean;
  private rows: number[][] = [];
  private times: number[] = [];
  private sinceFit = 0;
  private sinceFire = Number.POSITIVE_INFINITY;
  private lastT = Number.NEGATIVE_INFINITY;
  private last: DetectorResult = { score: 0, rawScore: 0, anomalous: false, anomalyRate: 0 };
  private readonly errorCal: TailCalibrator;
  private readonly statCals: TailCalibrator[];
  private readonly statWindows: RollingWindow[];
  private readonly flags: RollingWindow;
  private readonly contexts: ContextNovelty[];
  private readonly contextCals: TailCalibrator[];

  constructor(config: Partial<DetectorConfig> = {}, state?: DetectorState) {
    this.config = { ...DEFAULT_DETECTOR_CONFIG, ...config, ...(state?.config ?? {}) };
    const c = this.config;
    this.forecaster = new WindowForecaster(c, state?.model, state?.normalization, c.seed);
    this.fitted = state !== undefined;
    const minHistory = Math.min(c.warmup, 100);
    this.errorCal = new TailCalibrator(c.calibrationSize, c.shortWindow, minHistory);
    if (state) this.errorCal.seed(new Array<number>(minHistory).fill(0).map((_, i) => state.calibration.errorMean + state.calibration.errorStd * (i % 2 ? 1 : -1)));
    // With a spread floor, one resolution step is a deviation of 1: the smallest real change, which
    // must not read as extreme even against a history of zeros.
    this.statCals = Array.from(
      { length: c.dims },
      (_, d) => new TailCalibrator(c.calibrationSize, c.shortWindow, minHistory, (c.minScale[d] ?? 0) > 0 ? 0.5 : 0.05),
    );
    this.statWindows = Array.from({ length: c.dims }, () => new RollingWindow(c.statWindow));
    this.flags = new RollingWindow(c.rateWindow);
    const ctxDims = c.contextLevels > 0 ? c.dims : 0;
    this.contexts = Array.from({ length: ctxDims }, (_, d) => new ContextNovelty({ levels: c.contextLevels, order: c.contextOrder, resolution: c.minScale[d] ?? 0 }));
    this.contextCals = Array.from({ length: ctxDims }, () => new TailCalibrator(c.calibrationSize, c.contextShort, minHistory));
  }

  static fromState(state: DetectorState, overrides: Partial<DetectorConfig> = {}): StreamingAnomalyDetector {
    return new StreamingAnomalyDetector(overrides, { ...state, config: { ...state.config, ...overrides } });
  }

  get isFitted(): boolean {
    return this.fitted;
  }

  /**
   * Scores one sample using only this and earlier samples. Samples at or before the previous
   * timestamp are ignored (duplicates from at-least-once delivery) and return the last result.
   */
  update(values: number[], timestampMs: number): DetectorResult {
    const c = this.config;
    if (values.length !== c.dims) throw new RangeError(`expected ${c.dims} values, got ${values.length}`);
    if (!(timestampMs > this.lastT)) return this.last;
    this.lastT = timestampMs;
    const prev = this.rows[this.rows.length - 1];
    // A missing reading is carried forward: it should neither alarm nor poison the model.
    const row = values.map((v, d) => (Number.isFinite(v) ? v : (prev?.[d] ?? 0)));
    this.rows.push(row);
    this.times.push(timestampMs);

    let statTail = 1;
    let statDim = 0;
    for (let d = 0; d < c.dims; d++) {
      const w = this.statWindows[d]!;
      const idle = this.skipped(d, row[d]!);
      const sd = Math.max(w.std(), Math.abs(w.mean()) * 1e-3, c.minScale[d] ?? 0, 1e-9);
      const dev = w.size >= 2 && !idle ? Math.abs(row[d]! - w.mean()) / sd : 0;
      if (!idle) w.push(row[d]!);
      const tail = this.statCals[d]!.update(dev) * c.dims;
      if (tail < statTail) { statTail = tail; statDim = d; }
    }

    let ctxTail = 1;
    let ctxDim = 0;
    for (let d = 0; d < this.contexts.length; d++) {
      if (this.skipped(d, row[d]!)) continue;
      const tail = this.contextCals[d]!.update(this.contexts[d]!.update(row[d]!)) * c.dims;
      if (tail < ctxTail) { ctxTail = tail; ctxDim = d; }
    }

    let modelTail = 1;
    const end = this.rows.length - 1;
    if (this.fitted && end >= c.window) modelTail = this.errorCal.update(this.forecaster.error(this.rows, this.times, end));

    const modelScore = c.stages === 'stat' ? 0 : logScore(modelTail);
    const statScore = c.stages === 'model' ? 0 : logScore(statTail);
    const ctxScore = c.stages === 'model' ? 0 : logScore(ctxTail);
    let score = Math.max(modelScore, statScore, ctxScore);
    const cause: DetectorResult['cause'] =
      modelScore >= Math.max(statScore, ctxScore) ? { stage: 'model' } : { stage: 'stat', dim: statScore >= ctxScore ? statDim : ctxDim };
    const rawScore = Math.min(1, Math.max(0, score));
    score *= this.damping();
    const anomalous = score >= c.threshold;
    this.sinceFire = anomalous ? 0 : this.sinceFire + 1;
    // The rate counts raw exceedances: counted after the rest it could never pass 1 / (rest + 1).
    this.flags.push(rawScore >= c.threshold ? 1 : 0);

    this.sinceFit++;
    if (!this.fitted && this.rows.length >= c.warmup) this.fit();
    else if (this.fitted && c.refitEvery > 0 && this.sinceFit >= c.refitEvery) this.fit();
    this.trimHistory();

    this.last = { score: Math.min(1, Math.max(0, score)), rawScore, anomalous, anomalyRate: this.flags.mean(), cause };
    return this.last;
  }

  /** Fits on history the detector has already seen (or on rows passed in, for offline training). */
  fit(rows: number[][] = this.rows, times: number[] = this.times, onEpoch?: (epoch: number, loss: number) => void): number[] {
    const c = this.config;
    const from = Math.max(0, rows.length - c.historySize);
    const losses = this.forecaster.fit(rows.slice(from), times.slice(from), {
      maxSteps: c.maxSteps,
      maxEpochs: c.maxEpochs,
      batchSize: 32,
      learningRate: 0.003,
      seed: c.seed,
      ...(onEpoch ? { onEpoch } : {}),
    });
    this.fitted = losses.length > 0;
    this.sinceFit = 0;
    return losses;
  }

  /** Everything needed to restore this detector elsewhere (see artifacts.ts). */
  exportState(): DetectorState {
    const snap = this.errorCal.snapshot();
    return {
      config: this.config,
      normalization: this.forecaster.norm,
      calibration: { errorMean: snap.mean, errorStd: snap.std, threshold: this.config.threshold },
      model: this.forecaster.tfModel,
    };
  }

  /** Mean in-sample forecast error over rows, used to seed calibration of a pre-trained artifact. */
  errorStats(rows: number[][], times: number[]): { mean: number; std: number } {
    const errs: number[] = [];
    for (let end = this.config.window; end < rows.length; end++) errs.push(this.forecaster.error(rows, times, end));
    const mean = errs.reduce((s, v) => s + v, 0) / Math.max(1, errs.length);
    const std = Math.sqrt(errs.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, errs.length));
    return { mean, std };
  }

  /** A sample the per-metric stages ignore: an idle on/off metric, or any load-following one. */
  private skipped(d: number, v: number): boolean {
    const c = this.config;
    return c.loadFollowing[d] === true || (c.intermittent[d] === true && Math.abs(v) <= (c.minScale[d] ?? 0));
  }

  /** Hard rest after a detection, then a linear ramp back to full weight. */
  private damping(): number {
    const { rest, suppress } = this.config;
    if (this.sinceFire < rest) return 0;
    const ramp = this.sinceFire - rest;
    return ramp < suppress ? ramp / suppress : 1;
  }

  dispose(): void {
    this.forecaster.dispose();
  }

  private trimHistory(): void {
    const keep = Math.max(this.config.historySize, this.config.window + 1);
    if (this.rows.length > 2 * keep) {
      this.rows = this.rows.slice(-keep);
      this.times = this.times.slice(-keep);
    }
  }
}
