import { readFileSync } from 'node:fs';
import { parseCli } from '../../../lib/cli-args.js';
import { initBackend } from '../backend.js';
import { loadNabCorpus, type NabSeries } from '../nab/corpus.js';
import { scoreSeries, writeNabResults } from '../nab/run-detector.js';
import { scoreCorpus, NAB_PROFILES, type ProfileName, type ScoredSeries } from '../nab/scorer.js';
import { leaveOneGroupOut, type Candidate } from '../nab/select.js';
import type { DetectorConfig } from '../anomaly/streaming-detector.js';
import { ProgressBar } from './progress.js';

const spec = {
  command: 'npm run eval:nab --',
  summary: 'Runs a fresh streaming detector over every series of a NAB-layout folder (DIR/<group>/<file>.csv) and scores it with NAB\'s rules.',
  options: {
    data: { type: 'string', description: 'NAB data folder (DIR/<group>/<file>.csv)' },
    labels: { type: 'string', description: 'NAB labels/combined_windows.json' },
    results: { type: 'string', description: 'write NAB results CSVs to DIR/<group>/<detector>_<file>.csv (pass NAB\'s results/<detector>)' },
    detector: { type: 'string', default: 'gantry', description: 'detector name in result file names' },
    config: { type: 'string', description: 'JSON overrides of the detector config, e.g. {"rest":100}' },
    grid: { type: 'string', description: 'JSON file [{"name":..,"config":{..}},..]: score each, then select by leave-one-group-out' },
    only: { type: 'string', description: 'only series whose <group>/<file> contains this text' },
    quiet: { type: 'boolean', default: false, description: 'no per-series lines' },
  },
  required: ['data', 'labels'],
} as const;
const { values: args } = parseCli(spec);

const backend = await initBackend();
const corpus = loadNabCorpus(args.data!, args.labels!).filter((s) => !args.only || s.key.includes(args.only));
console.log(`backend ${backend}; ${corpus.length} series from ${args.data}`);

function runCorpus(label: string, config: Partial<DetectorConfig>, results?: string): ScoredSeries[] {
  const total = corpus.reduce((s, x) => s + x.values.length, 0);
  const bar = new ProgressBar(label, total);
  let done = 0;
  const out = corpus.map((series: NabSeries) => {
    const r = scoreSeries(series, config);
    if (results) writeNabResults(results, args.detector, r);
    done += series.values.length;
    bar.tick(done, series.key);
    return { name: series.key, timestamps: series.timestamps, scores: r.scores, windows: series.windows };
  });
  bar.done();
  return out;
}

function profileLine(scored: ScoredSeries[], profile: ProfileName): string {
  const s = scoreCorpus(scored, profile);
  return `${profile.padEnd(20)} score ${s.normalized.toFixed(1).padStart(6)}  threshold ${s.threshold.toFixed(4)}  windows ${s.detectedWindows}/${s.windows}  fp rows ${s.falsePositives}`;
}

if (args.grid) {
  const grid = JSON.parse(readFileSync(args.grid, 'utf8')) as Array<{ name: string; config: Partial<DetectorConfig> }>;
  const candidates: Candidate[] = grid.map((g) => ({ name: g.name, series: runCorpus(g.name, g.config) }));
  console.log(`in-sample (threshold optimized on all ${corpus.length} series):`);
  for (const c of candidates) {
    const p = (Object.keys(NAB_PROFILES) as ProfileName[]).map((k) => scoreCorpus(c.series, k).normalized.toFixed(1));
    console.log(`  ${c.name.padEnd(40)} standard ${p[0]}  low-FP ${p[1]}  low-FN ${p[2]}`);
  }
  for (const profile of ['standard', 'reward_low_FP_rate'] as ProfileName[]) {
    const logo = leaveOneGroupOut(candidates, profile);
    console.log(`leave-one-group-out, ${profile} (config and threshold chosen on the other groups):`);
    for (const f of logo.folds) {
      console.log(`  held out ${f.heldOut.padEnd(24)} chose ${f.chosen.padEnd(32)} (train ${f.trainScore.toFixed(1)}, th ${f.threshold.toFixed(4)})  windows ${f.detected}/${f.windows}  fp rows ${f.falsePositives}  raw ${f.raw.toFixed(2)}`);
    }
    console.log(`summary: ${profile} held-out (pooled over ${logo.folds.length} folds) ${logo.pooled.toFixed(1)}`);
  }
  process.exit(0);
}

const config = (args.config ? JSON.parse(args.config) : {}) as Partial<DetectorConfig>;
const started = performance.now();
const scored = runCorpus('scoring', config, args.results);
console.log(`scored in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const standard = scoreCorpus(scored, 'standard');
if (!args.quiet) {
  // Where the points are won and lost at the corpus-wide standard threshold.
  for (const one of scored) {
    const s = scoreCorpus([one], 'standard', standard.threshold);
    console.log(`  ${one.name.padEnd(60)} windows ${s.detectedWindows}/${s.windows}  fp rows ${s.falsePositives}  raw ${s.raw.toFixed(2)}`);
  }
}
for (const profile of Object.keys(NAB_PROFILES) as ProfileName[]) console.log(profileLine(scored, profile));
console.log(`summary: NAB standard ${standard.normalized.toFixed(1)} on ${corpus.length} series (${standard.detectedWindows}/${standard.windows} windows, ${standard.falsePositives} fp rows)`);
