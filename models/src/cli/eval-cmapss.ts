import { parseCli, numberOpt, cliFail } from '../../../lib/cli-args.js';
import { initBackend } from '../backend.js';
import { readCmapss, readRulFile, rmse, phm08Score } from '../rul/cmapss.js';
import { DEFAULT_RUL_CONFIG, type RulConfig } from '../rul/rul-model.js';
import { trainAndPredict, kFoldRul, TRUTH_CAP } from '../rul/kfold.js';
import { ProgressBar } from './progress.js';

const spec = {
  command: 'npm run eval:cmapss --',
  summary: 'Remaining-useful-life RMSE on C-MAPSS data: k-fold over training units cut at random points (default), or the official test files.',
  options: {
    train: { type: 'string', description: 'C-MAPSS training file (train_FD001.txt)' },
    test: { type: 'string', description: 'official test file (test_FD001.txt); needs --rul' },
    rul: { type: 'string', description: 'official truth file (RUL_FD001.txt)' },
    inner: { type: 'boolean', default: false, description: 'model selection: k-fold over the 80 training units of the outer fold 1 only (units 2-5, 7-10, ...), never its 20 held-out units' },
    folds: { type: 'string', default: '5', description: 'k of the k-fold over units (without --test)' },
    cuts: { type: 'string', default: '10', description: 'random cut points per held-out unit (without --test)' },
    'max-rul': { type: 'string', default: '145', description: 'cut so at most this life is left (the official FD001 test truth runs 7-145); 0: cut anywhere' },
    ensemble: { type: 'string', description: 'networks averaged per prediction (seeds seed, seed+1, ...); default: the model config\'s members' },
    seed: { type: 'string', default: '11', description: 'seeds the model (its networks use seed, seed+1, ...) and the k-fold cut points' },
    config: { type: 'string', description: 'JSON overrides of the RUL model config, e.g. {"epochs":30}' },
  },
  required: ['train'],
} as const;
const { values: args } = parseCli(spec);
if (Boolean(args.test) !== Boolean(args.rul)) cliFail(spec, '--test and --rul go together');

const backend = await initBackend();
const seed = numberOpt(spec, 'seed', args.seed);
const overrides = args.config ? (JSON.parse(args.config) as Partial<RulConfig>) : {};
const ensemble = args.ensemble ? numberOpt(spec, 'ensemble', args.ensemble) : (overrides.members ?? DEFAULT_RUL_CONFIG.members ?? 1);
const config: Partial<RulConfig> = { ...overrides, seed, members: ensemble };
const cap = TRUTH_CAP;
// --inner leaves out the outer fold 1 (every fifth unit from the first), as kFoldRul's interleaved folds do.
const units = readCmapss(args.train!).filter((_, i) => !args.inner || i % 5 !== 0);
const started = performance.now();
let pred: number[];
let truth: number[];
if (args.test && args.rul) {
  const test = readCmapss(args.test);
  truth = readRulFile(args.rul);
  if (truth.length !== test.length) cliFail(spec, `${truth.length} RUL values for ${test.length} test units`);
  console.log(`backend ${backend}; training on ${units.length} units, ensemble of ${ensemble}; official test: ${test.length} units`);
  pred = trainAndPredict(units, test, config);
} else {
  const folds = numberOpt(spec, 'folds', args.folds);
  const cuts = numberOpt(spec, 'cuts', args.cuts);
  const maxRul = numberOpt(spec, 'max-rul', args['max-rul']) || Number.POSITIVE_INFINITY;
  console.log(`backend ${backend}; ${folds}-fold over ${units.length} units, each held-out unit cut at ${cuts} random points leaving at most ${maxRul} cycles; ensemble of ${ensemble}`);
  const bar = new ProgressBar('folds', folds);
  const r = kFoldRul(units, config, { folds, cuts, minRows: 31, maxRul, seed, onFold: (f, n) => bar.tick(f, `trained on ${n} units`) });
  bar.done();
  pred = r.pred;
  truth = r.truth;
  console.log(`RMSE per fold (capped truth): ${r.foldRmseCapped.map((v) => v.toFixed(2)).join(' ')}`);
}
const capped = truth.map((t) => Math.min(cap, t));
const over = truth.filter((t) => t > cap).length;
console.log(`cases ${pred.length} (${over} with true RUL > ${cap}); ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`RMSE against the true RUL capped at ${cap} (the usual convention): ${rmse(pred, capped).toFixed(2)}`);
console.log(`RMSE against the uncapped true RUL: ${rmse(pred, truth).toFixed(2)}`);
console.log(`PHM08 score (capped truth): ${(phm08Score(pred, capped) / pred.length).toFixed(2)} per case`);
console.log(`summary: RMSE capped ${rmse(pred, capped).toFixed(2)}, uncapped ${rmse(pred, truth).toFixed(2)} over ${pred.length} cases (seed ${seed})`);
