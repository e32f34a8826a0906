import { parseCli, numberOpt } from '../../../lib/cli-args.js';
import { loadavg } from 'node:os';
import { tf, useBackend, type BackendName } from '../backend.js';
import { StreamingAnomalyDetector } from '../anomaly/streaming-detector.js';

/**
 * Scoring throughput on one core. Baselines printed in the same run: raw model.predict with one
 * window per call and batched, on wasm and on cpu, beside the full streaming detector.
 */
const spec = {
  command: 'npm run bench:model --',
  summary: 'Scoring throughput on one core: model.predict per window and batched (wasm, cpu) beside the full streaming detector.',
  options: { seconds: { type: 'string', default: '2', description: 'seconds per measurement' } },
} as const;
const { values: args } = parseCli(spec);
const budgetMs = numberOpt(spec, 'seconds', args.seconds) * 1000;

function rate(fn: () => number): number {
  fn(); // warm-up: first calls compile kernels and allocate
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) done += fn();
  return (done * 1000) / (performance.now() - start);
}

function signal(i: number, d: number): number {
  return 10 + 3 * Math.sin((2 * Math.PI * i) / 288 + d) + 0.3 * Math.sin(i * 78.233 + d);
}

const rows: Array<{ backend: BackendName; dims: number; what: string; perSec: number }> = [];
for (const backend of ['wasm', 'cpu'] as const) {
  await useBackend(backend);
  for (const dims of [1, 8]) {
    process.stderr.write(`measuring ${backend}, ${dims} metric(s)\n`);
    const history = Array.from({ length: 1200 }, (_, i) => Array.from({ length: dims }, (_, d) => signal(i, d)));
    const times = history.map((_, i) => i * 60_000);
    const det = new StreamingAnomalyDetector({ dims, refitEvery: 0, warmup: 10_000 });
    det.fit(history, times);
    const model = det.exportState().model;
    const inputs = (model.inputs[0]!.shape[1] as number) ?? 1;
    const one = tf.randomNormal([1, inputs]);
    const batch = tf.randomNormal([256, inputs]);
    const predictOne = (): number => {
      tf.tidy(() => (model.predict(one) as tf.Tensor).dataSync());
      return 1;
    };
    const predictBatch = (): number => {
      tf.tidy(() => (model.predict(batch) as tf.Tensor).dataSync());
      return 256;
    };
    let i = 1200;
    const scoring = StreamingAnomalyDetector.fromState(det.exportState(), { refitEvery: 0 });
    const detect = (): number => {
      for (let k = 0; k < 100; k++, i++) scoring.update(Array.from({ length: dims }, (_, d) => signal(i, d)), i * 60_000);
      return 100;
    };
    rows.push({ backend, dims, what: 'model.predict, 1 window per call', perSec: rate(predictOne) });
    rows.push({ backend, dims, what: 'model.predict, batches of 256', perSec: rate(predictBatch) });
    rows.push({ backend, dims, what: 'StreamingAnomalyDetector.update (full)', perSec: rate(detect) });
    one.dispose();
    batch.dispose();
    det.dispose();
  }
}
// Other work on the machine skews these; the load average says how much.
console.log(`windows (samples) scored per second, one core, ${Number(args.seconds)} s per measurement; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`${'backend'.padEnd(8)} ${'metrics'.padStart(7)}  ${'path'.padEnd(42)} ${'windows/s'.padStart(12)}`);
for (const r of rows) console.log(`${r.backend.padEnd(8)} ${String(r.dims).padStart(7)}  ${r.what.padEnd(42)} ${Math.round(r.perSec).toString().padStart(12)}`);
const full = rows.filter((r) => r.what.startsWith('StreamingAnomalyDetector'));
console.log(`summary: full detector ${Math.round(Math.min(...full.map((r) => r.perSec)))}-${Math.round(Math.max(...full.map((r) => r.perSec)))} samples/s per core (target >= 10000)`);
