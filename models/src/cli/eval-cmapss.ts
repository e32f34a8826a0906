import { parseArgs } from 'node:util';
import { initBackend } from '../backend.js';
import { readCmapss, readRulFile, rmse, phm08Score, truncateUnits, type UnitSeries } from '../rul/cmapss.js';
import { RulModel, DEFAULT_RUL_CONFIG, type RulConfig } from '../rul/rul-model.js';
import { ProgressBar } from './progress.js';

const USAGE = 'usage: npm run eval:cmapss -- --train FILE [--test FILE --rul FILE] [--holdout 0.2] [--config JSON]';
const { values: args } = parseArgs({
  options: {
    train: { type: 'string' },
    test: { type: 'string' },
    rul: { type: 'string' },
    holdout: { type: 'string', default: '0.2' },
    config: { type: 'string' },
    seed: { type: 'string', default: '5' },
  },
});
if (!args.train || Boolean(args.test) !== Boolean(args.rul)) {
  console.error(USAGE);
  process.exit(2);
}

const backend = await initBackend();
const config = (args.config ? JSON.parse(args.config) : {}) as Partial<RulConfig>;
const all = readCmapss(args.train);
let trainUnits: UnitSeries[] = all;
let evalUnits: UnitSeries[];
let truth: number[];
let label: string;
if (args.test && args.rul) {
  evalUnits = readCmapss(args.test);
  truth = readRulFile(args.rul);
  if (truth.length !== evalUnits.length) throw new Error(`${truth.length} RUL values for ${evalUnits.length} test units`);
  label = `test units of ${args.test}`;
} else {
  // Hold out every k-th unit so both halves span the same range of engine lives.
  const every = Math.max(2, Math.round(1 / Number(args.holdout)));
  const held = all.filter((_, i) => i % every === every - 1);
  trainUnits = all.filter((_, i) => i % every !== every - 1);
  const cut = truncateUnits(held, 10, 31, Number(args.seed));
  evalUnits = cut.units;
  truth = cut.truth;
  label = `${held.length} held-out training units, each cut at 10 random points (${evalUnits.length} cases)`;
}
const cap = config.cap ?? 125;
console.log(`backend ${backend}; training on ${trainUnits.length} units; evaluating on ${label}`);
const epochs = config.epochs ?? DEFAULT_RUL_CONFIG.epochs;
const bar = new ProgressBar('train', epochs);
const started = performance.now();
const model = RulModel.train(trainUnits, config, (e, loss) => bar.tick(e + 1, `loss ${loss.toFixed(5)}`));
bar.done();
const pred = model.predictUnits(evalUnits);
const capped = truth.map((t) => Math.min(cap, t));
console.log(`features: ${model.state.columns.length} columns; trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`RMSE (true RUL capped at ${cap}): ${rmse(pred, capped).toFixed(2)}`);
console.log(`PHM08 score: ${phm08Score(pred, capped).toFixed(1)} over ${pred.length} cases (${(phm08Score(pred, capped) / pred.length).toFixed(2)} per case)`);
console.log(`RMSE uncapped truth: ${rmse(pred, truth).toFixed(2)}`);
