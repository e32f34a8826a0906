import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseCli, numberOpt, parseRange } from '../lib/cli-args.js';
import { initBackend } from '../models/src/backend.js';
import { scoreFleet, type FleetReport, type GateOptions } from '../models/src/fleet/evaluate.js';
import { collectSignals, type FleetSignals, type SignalOptions } from '../models/src/fleet/signals.js';
import { summarizeFleet } from '../models/src/fleet/summary.js';
import type { DetectorConfig } from '../models/src/anomaly/streaming-detector.js';
import { loadConfig } from '../server/config/load.js';
import { SimulatorScenarioSource } from './eval/fleet-simulator-source.js';
import { shippedGates } from './eval/shipped-gates.js';
import { printSummary, gridOf } from './eval/fleet-print.js';

const spec = {
  command: 'npm run eval:fleet --',
  summary: 'Replays simulated fleets with injected faults through the streaming detector, the live forecaster and the shipped alert gates (rules/scanners.yaml); reports detection, lead time and false alarms, pooled over seeds.',
  options: {
    scanners: { type: 'string', default: '12', description: 'scanners per run' },
    days: { type: 'string', default: '10', description: 'simulated days per run' },
    'interval-s': { type: 'string', default: '120', description: 'sampling interval in seconds' },
    seeds: { type: 'string', default: '1', description: 'simulator seeds, e.g. 1-5 or 6-20 or 1,3' },
    instances: { type: 'string', default: '1', description: 'faults of each kind per run (each on its own scanner; needs room in the fleet)' },
    rules: { type: 'string', default: 'rules/scanners.yaml', description: 'rule file whose anomaly rule and metric-less predictive rule give the gates' },
    n: { type: 'string', description: 'override the anomaly rule: detections needed ...' },
    m: { type: 'string', description: '... among the last m scores' },
    'persist-h': { type: 'string', description: 'override the predictive rule: hours a forecast must stay inside the horizon' },
    'horizon-days': { type: 'string', description: 'override the predictive rule: horizon (late bound of the 90 % band) in days' },
    'ignore-first-h': { type: 'string', default: '24', description: 'alarms in each run\'s first hours are not counted (untrained detectors; 0 counts the first day too, as a start of the live server sees it)' },
    'forecast-every-s': { type: 'string', default: '600', description: 'forecast cadence (live: models.forecastEveryMs); coarser here for speed' },
    grid: { type: 'string', description: 'JSON of gate settings to compare on the same signals, e.g. {"n":[2,3],"m":[300,500],"persistH":[0,2]}' },
    'signals-dir': { type: 'string', description: 'cache detector and forecast signals here (the slow part) and reuse them' },
    detector: { type: 'string', description: 'JSON overrides of the detector config (for tuning)' },
  },
} as const;
const { values: a } = parseCli(spec);
const num = (name: keyof typeof spec.options): number => numberOpt(spec, name, a[name] as string);
const seeds = parseRange(spec, 'seeds', a.seeds);
const intervalMs = num('interval-s') * 1000;
const detector = (a.detector ? JSON.parse(a.detector) : {}) as Partial<DetectorConfig>;

const shipped = shippedGates(a.rules);
const gates: GateOptions = {
  anomaly: { ...shipped.anomaly, ...(a.n ? { n: num('n') } : {}), ...(a.m ? { m: num('m') } : {}) },
  forecast: {
    ...shipped.forecast,
    ...(a['persist-h'] ? { persistMs: num('persist-h') * 3_600_000 } : {}),
    ...(a['horizon-days'] ? { horizonMs: num('horizon-days') * 86_400_000, recoverHorizonMs: num('horizon-days') * 1.2 * 86_400_000 } : {}),
  },
  ignoreFirstMs: num('ignore-first-h') * 3_600_000,
};
// The live forecaster's settings (config defaults), except the cadence.
const m = loadConfig({}).models;
gates.forecastLoadFollowing = m.forecastLoadFollowing;
const signalOptions: SignalOptions = {
  detector,
  scoreEveryMs: m.scoreEverySeconds * 1000,
  forecaster: {
    forecastEveryMs: num('forecast-every-s') * 1000, forecastSamples: m.forecastSamples, trendWindowMs: m.trendWindowHours * 3_600_000,
    // Every metric is forecast here; gates.forecastLoadFollowing drops what the worker would not forecast.
    fineWindowMs: m.fineTrendMinutes * 60_000, loadFollowing: true, maxExtrapolation: m.maxExtrapolation, minTrendMs: m.minTrendMinutes * 60_000, horizonMs: m.horizonDays * 86_400_000,
  },
};

const backend = await initBackend();
const source = new SimulatorScenarioSource();
console.log(`backend ${backend}; ${a.scanners} scanners x ${a.days} days at ${a['interval-s']} s, seeds ${a.seeds}, ${a.instances} fault(s) per kind per run`);
console.log(`gates from ${a.rules} (${shipped.anomalyRule}, ${shipped.forecastRule}): anomaly ${gates.anomaly.n} of the last ${gates.anomaly.m} raw scores at the level; forecast band within ${gates.forecast.horizonMs / 86_400_000} days for ${gates.forecast.persistMs / 3_600_000} h; load-following metrics ${gates.forecastLoadFollowing ? '' : 'not '}forecast`);
const started = performance.now();
const signals: FleetSignals[] = [];
for (const seed of seeds) {
  const options = { scanners: num('scanners'), days: num('days'), intervalMs, seed, faultAfterDays: 2, instancesPerKind: num('instances') };
  // loadFollowing is always on here (see above), so it is left out of the cache key.
  const { loadFollowing: _all, ...forecaster } = signalOptions.forecaster;
  // Scoring every sample and scoring at a cadence no faster than the samples give the same signals.
  const decimated = (signalOptions.scoreEveryMs ?? 0) > intervalMs ? { scoreEveryMs: signalOptions.scoreEveryMs } : {};
  const key = createHash('sha256').update(JSON.stringify({ options, signalOptions: { detector, forecaster, ...decimated }, v: 1 })).digest('hex').slice(0, 12);
  const cached = a['signals-dir'] ? join(a['signals-dir'], `seed-${seed}-${key}.json`) : undefined;
  let sig: FleetSignals;
  if (cached && existsSync(cached)) sig = JSON.parse(readFileSync(cached, 'utf8')) as FleetSignals;
  else {
    sig = collectSignals(source.build(options), signalOptions);
    if (cached && a['signals-dir']) { mkdirSync(a['signals-dir'], { recursive: true }); writeFileSync(cached, JSON.stringify(sig)); }
  }
  signals.push(sig);
  const report = scoreFleet(sig, gates);
  const secs = (performance.now() - started) / 1000;
  process.stderr.write(`seed ${seed} done (${signals.length}/${seeds.length}, ${secs.toFixed(0)} s): ${report.falseAlarms} false alarms over ${report.healthyScannerDays.toFixed(1)} scanner-days\n`);
}
if (a.grid) {
  for (const g of gridOf(a.grid, gates)) printSummary(summarizeFleet(signals.map((s) => scoreFleet(s, g.gates))), a.seeds, g.label, true);
} else {
  const reports: FleetReport[] = signals.map((s) => scoreFleet(s, gates));
  printSummary(summarizeFleet(reports), a.seeds, '', false);
}
