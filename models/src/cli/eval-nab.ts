import { parseArgs } from 'node:util';
import { initBackend } from '../backend.js';
import { loadNabCorpus } from '../nab/corpus.js';
import { scoreSeries, writeNabResults } from '../nab/run-detector.js';
import { scoreCorpus, NAB_PROFILES, type ProfileName } from '../nab/scorer.js';
import type { DetectorConfig } from '../anomaly/streaming-detector.js';

const USAGE = `usage: npm run eval:nab -- --data DIR --labels FILE [--results DIR] [--detector NAME] [--config JSON] [--only SUBSTR]`;

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    labels: { type: 'string' },
    results: { type: 'string' },
    detector: { type: 'string', default: 'gantry' },
    config: { type: 'string' },
    only: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
if (!args.data || !args.labels) {
  console.error(USAGE);
  process.exit(2);
}

const backend = await initBackend();
const config = (args.config ? JSON.parse(args.config) : {}) as Partial<DetectorConfig>;
const corpus = loadNabCorpus(args.data, args.labels).filter((s) => !args.only || s.key.includes(args.only));
console.log(`backend ${backend}; ${corpus.length} series from ${args.data}`);
const started = performance.now();
const results = corpus.map((series) => {
  const r = scoreSeries(series, config);
  if (args.results) writeNabResults(args.results, args.detector, r);
  if (!args.quiet) console.log(`  ${series.key.padEnd(60)} ${String(series.values.length).padStart(6)} rows ${(r.ms / 1000).toFixed(1)} s`);
  return r;
});
const scored = results.map((r) => ({ name: r.series.key, timestamps: r.series.timestamps, scores: r.scores, windows: r.series.windows }));
console.log(`scored in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const standard = scoreCorpus(scored, 'standard');
if (!args.quiet) {
  // Where the points are won and lost at the corpus-wide standard threshold.
  for (const one of scored) {
    const s = scoreCorpus([one], 'standard', standard.threshold);
    console.log(`  ${one.name.padEnd(60)} windows ${s.detectedWindows}/${s.windows}  fp rows ${s.falsePositives}  raw ${s.raw.toFixed(2)}`);
  }
}
for (const profile of Object.keys(NAB_PROFILES) as ProfileName[]) {
  const s = scoreCorpus(scored, profile);
  console.log(
    `${profile.padEnd(20)} score ${s.normalized.toFixed(1).padStart(6)}  threshold ${s.threshold.toFixed(4)}  windows ${s.detectedWindows}/${s.windows}  fp rows ${s.falsePositives}`,
  );
}
