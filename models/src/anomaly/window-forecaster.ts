import { tf } from '../backend.js';
import { buildMlp, trainSync, DenseMirror } from '../core/dense-net.js';
import { DAY } from '../../../contracts/units.js';

export interface Normalization {
  center: number[];
  scale: number[];
  /** Per-metric forecast residual spread on training data: errors are measured in these units. */
  residual?: number[];
  /**
   * Which time features were fitted: [daily, weekly]. A cycle the training history has not seen
   * twice cannot be learned, only memorised, and would make later forecasts extrapolate.
   */
  cycles?: [boolean, boolean];
}

export interface ForecasterShape {
  dims: number;
  minScale?: number[];
  window: number;
  hidden: number[];
  timeFeatures: boolean;
}

export interface FitOptions {
  /** Cap on optimizer steps per fit, so refits stay ~1 s whatever the history length. */
  maxSteps: number;
  maxEpochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

const TIME_FEATURES = 4;

/** Hour-of-day and day-of-week as points on circles: scanner load and NAB's traffic series are daily/weekly. */
export function timeFeatures(t: number, out: Float32Array, offset: number, cycles: [boolean, boolean] = [true, true]): void {
  const day = (t % DAY) / DAY;
  const week = ((t / DAY + 3) % 7) / 7;
  out[offset] = cycles[0] ? Math.sin(2 * Math.PI * day) : 0;
  out[offset + 1] = cycles[0] ? Math.cos(2 * Math.PI * day) : 0;
  out[offset + 2] = cycles[1] ? Math.sin(2 * Math.PI * week) : 0;
  out[offset + 3] = cycles[1] ? Math.cos(2 * Math.PI * week) : 0;
}

export function fitNormalization(rows: number[][], dims: number, minScale: number[] = []): Normalization {
  const center: number[] = [];
  const scale: number[] = [];
  for (let d = 0; d < dims; d++) {
    const col = rows.map((r) => r[d]!).sort((a, b) => a - b);
    const med = col[Math.floor(col.length / 2)] ?? 0;
    const mean = col.reduce((s, v) => s + v, 0) / Math.max(1, col.length);
    const sd = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, col.length));
    center.push(med);
    // A flat series has sd 0; a floor tied to its magnitude keeps tiny jitter from looking huge.
    scale.push(Math.max(sd, Math.abs(med) * 1e-3, minScale[d] ?? 0, 1e-6));
  }
  return { center, scale };
}

/** A learned one-step-ahead forecaster over a sliding window of normalized vectors. */
export class WindowForecaster {
  readonly inputSize: number;
  private model: tf.LayersModel;
  private mirror: DenseMirror;
  norm: Normalization;

  constructor(readonly shape: ForecasterShape, model?: tf.LayersModel, norm?: Normalization, seed = 7) {
    this.inputSize = shape.window * shape.dims + (shape.timeFeatures ? TIME_FEATURES : 0);
    this.model = model ?? buildMlp({ inputs: this.inputSize, hidden: shape.hidden, outputs: shape.dims }, seed);
    this.mirror = new DenseMirror(this.model);
    this.norm = norm ?? { center: new Array<number>(shape.dims).fill(0), scale: new Array<number>(shape.dims).fill(1) };
  }

  get tfModel(): tf.LayersModel {
    return this.model;
  }

  normalize(v: number, d: number): number {
    const z = (v - this.norm.center[d]!) / this.norm.scale[d]!;
    // Clipping keeps one wild sample in the window from saturating every later forecast.
    return Math.max(-10, Math.min(10, z));
  }

  /** Builds the model input for predicting row `end` from rows [end-window, end). */
  input(rows: ArrayLike<number[]>, times: ArrayLike<number>, end: number, out = new Float32Array(this.inputSize)): Float32Array {
    const { window, dims } = this.shape;
    for (let k = 0; k < window; k++) {
      const row = rows[end - window + k]!;
      for (let d = 0; d < dims; d++) out[k * dims + d] = this.normalize(row[d]!, d);
    }
    if (this.shape.timeFeatures) timeFeatures(times[end]!, out, window * dims, this.norm.cycles ?? [false, false]);
    return out;
  }

  predict(input: Float32Array): Float32Array {
    return this.mirror.forward(input);
  }

  /**
   * RMS over metrics of the forecast error in residual units: a metric the model predicts tightly
   * counts more when it strays than a naturally noisy one.
   */
  error(rows: ArrayLike<number[]>, times: ArrayLike<number>, end: number): number {
    const pred = this.predict(this.input(rows, times, end));
    const row = rows[end]!;
    let sum = 0;
    for (let d = 0; d < this.shape.dims; d++) {
      // Within one resolution step (minScale) a forecast of a count is as good as it can be.
      const dead = (this.shape.minScale?.[d] ?? 0) / this.norm.scale[d]!;
      const miss = Math.max(0, Math.abs(this.normalize(row[d]!, d) - pred[d]!) - dead);
      sum += (miss / (this.norm.residual?.[d] ?? 1)) ** 2;
    }
    return Math.sqrt(sum / this.shape.dims);
  }

  /** Refits normalization and weights on past rows; warm-starts from the current weights. */
  fit(rows: number[][], times: number[], opts: FitOptions): number[] {
    const { window, dims } = this.shape;
    const n = rows.length - window;
    if (n < 8) return [];
    const span = times[times.length - 1]! - times[0]!;
    this.norm = { ...fitNormalization(rows, dims, this.shape.minScale), cycles: [span >= 2 * DAY, span >= 14 * DAY] };
    const x = new Float32Array(n * this.inputSize);
    const y = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) {
      const end = i + window;
      this.input(rows, times, end, x.subarray(i * this.inputSize, (i + 1) * this.inputSize));
      for (let d = 0; d < dims; d++) y[i * dims + d] = this.normalize(rows[end]![d]!, d);
    }
    const batches = Math.ceil(n / opts.batchSize);
    const epochs = Math.max(1, Math.min(opts.maxEpochs, Math.floor(opts.maxSteps / batches)));
    const losses = trainSync(this.model, x, y, n, {
      epochs,
      batchSize: opts.batchSize,
      learningRate: opts.learningRate,
      seed: opts.seed,
      loss: 'huber',
      ...(opts.onEpoch ? { onEpoch: opts.onEpoch } : {}),
    });
    this.mirror = new DenseMirror(this.model);
    const residual = new Array<number>(dims).fill(0);
    for (let i = 0; i < n; i++) {
      const pred = this.predict(x.subarray(i * this.inputSize, (i + 1) * this.inputSize));
      for (let d = 0; d < dims; d++) residual[d]! += (y[i * dims + d]! - pred[d]!) ** 2;
    }
    // The floor stops a perfectly learned (e.g. flat) metric from turning rounding noise into alarms.
    const floor = (d: number): number => Math.max(0.1, (this.shape.minScale?.[d] ?? 0) / this.norm.scale[d]!);
    this.norm = { ...this.norm, residual: residual.map((r, d) => Math.max(Math.sqrt(r / n), floor(d))) };
    return losses;
  }

  dispose(): void {
    this.model.dispose();
  }
}
