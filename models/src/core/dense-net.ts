import { seededRandom } from '../../../lib/random.js';
import { tf } from '../backend.js';

export interface MlpShape {
  inputs: number;
  hidden: number[];
  outputs: number;
  /** Dropout after each hidden layer; regularises the RUL net, which overfits 80 engines. */
  dropout?: number;
}

export function buildMlp(shape: MlpShape, seed = 7): tf.Sequential {
  const model = tf.sequential();
  shape.hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: seed + i }),
        ...(i === 0 ? { inputShape: [shape.inputs] } : {}),
      }),
    );
    if (shape.dropout) model.add(tf.layers.dropout({ rate: shape.dropout, seed: seed + i }));
  });
  model.add(tf.layers.dense({ units: shape.outputs, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 99 }) }));
  return model;
}

/**
 * One network that computes the mean of several trained MLPs of the same shape: first layers side by
 * side, deeper layers block-diagonal, output weights divided by the count. An ensemble then saves, loads
 * and scores (DenseMirror) as a single model, with no new artifact format.
 */
export function mergeMlps(members: tf.LayersModel[], shape: MlpShape): tf.Sequential {
  const n = members.length;
  const merged = buildMlp({ ...shape, hidden: shape.hidden.map((h) => h * n) });
  const parts = members.map((m) => m.getWeights().map((t) => ({ data: t.dataSync() as Float32Array, shape: t.shape as number[] })));
  const out = merged.getWeights().map((t, li) => {
    const [rows, cols = 1] = t.shape as [number, number?];
    const data = new Float32Array(rows * cols);
    const isBias = li % 2 === 1;
    const isFirst = li === 0;
    const isLast = li >= 2 * shape.hidden.length;
    parts.forEach((p, m) => {
      const w = p[li]!;
      if (isBias) {
        if (isLast) w.data.forEach((v, i) => (data[i]! += v / n));
        else data.set(w.data, m * w.data.length);
        return;
      }
      const [r, c] = w.shape as [number, number];
      const rowOff = isFirst ? 0 : m * r;
      const colOff = isLast ? 0 : m * c;
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[(rowOff + i) * cols + colOff + j] = isLast ? w.data[i * c + j]! / n : w.data[i * c + j]!;
    });
    return tf.tensor(data, t.shape);
  });
  merged.setWeights(out);
  out.forEach((t) => t.dispose());
  return merged;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Deterministic shuffling so repeated runs and tests give the same model. */
  seed?: number;
  /** 'huber' keeps a few outliers in the training history from dominating the fit. */
  loss?: 'mse' | 'huber';
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Synchronous mini-batch Adam. model.fit() is async, which would force the streaming detector's
 * update() to be async too; optimizer.minimize runs in the caller's turn. Returns per-epoch losses.
 */
export function trainSync(model: tf.LayersModel, x: Float32Array, y: Float32Array, rows: number, opts: TrainOptions): number[] {
  const inDim = x.length / rows;
  const outDim = y.length / rows;
  const optimizer = tf.train.adam(opts.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const rand = seededRandom(opts.seed ?? 1);
  const order = Array.from({ length: rows }, (_, i) => i);
  const losses: number[] = [];
  const bx = new Float32Array(opts.batchSize * inDim);
  const by = new Float32Array(opts.batchSize * outDim);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < rows; start += opts.batchSize) {
      const n = Math.min(opts.batchSize, rows - start);
      for (let k = 0; k < n; k++) {
        const r = order[start + k]!;
        bx.set(x.subarray(r * inDim, (r + 1) * inDim), k * inDim);
        by.set(y.subarray(r * outDim, (r + 1) * outDim), k * outDim);
      }
      const xt = tf.tensor2d(bx.subarray(0, n * inDim), [n, inDim]);
      const yt = tf.tensor2d(by.subarray(0, n * outDim), [n, outDim]);
      // minimize() runs the loss inside its own tidy and disposes the gradients.
      const cost = optimizer.minimize(() => {
        const pred = model.apply(xt, { training: true }) as tf.Tensor;
        return opts.loss === 'huber' ? tf.losses.huberLoss(yt, pred) : tf.losses.meanSquaredError(yt, pred);
      }, true, vars);
      xt.dispose();
      yt.dispose();
      if (cost) {
        sum += cost.dataSync()[0]!;
        cost.dispose();
      }
      batches++;
    }
    const loss = sum / Math.max(1, batches);
    losses.push(loss);
    opts.onEpoch?.(epoch, loss);
  }
  optimizer.dispose();
  return losses;
}

/**
 * Plain-JS copy of a trained relu MLP. Scoring one sample through tfjs costs a kernel dispatch per
 * layer (~0.1 ms each); a network this small runs in microseconds as typed-array loops.
 */
export class DenseMirror {
  private readonly layers: Array<{ w: Float32Array; b: Float32Array; inDim: number; outDim: number }>;

  constructor(model: tf.LayersModel) {
    const tensors = model.getWeights();
    this.layers = [];
    for (let i = 0; i < tensors.length; i += 2) {
      const w = tensors[i]!;
      const b = tensors[i + 1]!;
      const [inDim, outDim] = w.shape as [number, number];
      this.layers.push({ w: w.dataSync() as Float32Array, b: b.dataSync() as Float32Array, inDim, outDim });
    }
  }

  forward(input: Float32Array): Float32Array {
    let cur = input;
    this.layers.forEach((layer, li) => {
      const out = new Float32Array(layer.outDim);
      out.set(layer.b);
      for (let i = 0; i < layer.inDim; i++) {
        const v = cur[i]!;
        if (v === 0) continue;
        const row = i * layer.outDim;
        for (let o = 0; o < layer.outDim; o++) out[o]! += v * layer.w[row + o]!;
      }
      if (li < this.layers.length - 1) for (let o = 0; o < out.length; o++) if (out[o]! < 0) out[o] = 0;
      cur = out;
    });
    return cur;
  }
}
