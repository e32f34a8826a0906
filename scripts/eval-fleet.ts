import { parseCli, numberOpt, parseRange } from '../lib/cli-args.js';
import { initBackend } from '../models/src/backend.js';
import { evaluateFleet, type FleetReport } from '../models/src/fleet/evaluate.js';
import { summarizeFleet } from '../models/src/fleet/summary.js';
import type { DetectorConfig } from '../models/src/anomaly/streaming-detector.js';
import { SimulatorScenarioSource } from './eval/fleet-simulator-source.js';

const spec = {
  command: 'npm run eval:fleet --',
  summary: 'Replays simulated fleets with injected faults through the streaming detector and forecasts; reports detection, lead time and false alarms, pooled over seeds.',
  options: {
    scanners: { type: 'string', default: '12', description: 'scanners per run' },
    days: { type: 'string', default: '10', description: 'simulated days per run' },
    'interval-s': { type: 'string', default: '120', description: 'sampling interval in seconds' },
    seeds: { type: 'string', default: '1', description: 'simulator seeds, e.g. 1-5 or 6-20 or 1,3' },
    instances: { type: 'string', default: '1', description: 'faults of each kind per run (each on its own scanner; needs room in the fleet)' },
    'horizon-days': { type: 'string', default: '7', description: 'forecast alerts when the 90 % band is within this' },
    'min-rate': { type: 'string', default: '0.02', description: 'anomaly alerts need this anomaly rate' },
    detector: { type: 'string', description: 'JSON overrides of the detector config (for tuning)' },
  },
} as const;
const { values: a } = parseCli(spec);
const num = (name: keyof typeof spec.options): number => numberOpt(spec, name, a[name] as string);
const seeds = parseRange(spec, 'seeds', a.seeds);
const intervalMs = num('interval-s') * 1000;
const detector = (a.detector ? JSON.parse(a.detector) : {}) as Partial<DetectorConfig>;

const backend = await initBackend();
const source = new SimulatorScenarioSource();
console.log(`backend ${backend}; ${a.scanners} scanners x ${a.days} days at ${a['interval-s']} s, seeds ${a.seeds}, ${a.instances} fault(s) per kind per run`);
console.log(`anomaly alerts need anomaly rate >= ${a['min-rate']}; forecasts alert when the 90 % band is within ${a['horizon-days']} days`);
const started = performance.now();
const reports: FleetReport[] = [];
for (const seed of seeds) {
  const scenario = source.build({ scanners: num('scanners'), days: num('days'), intervalMs, seed, faultAfterDays: 2, instancesPerKind: num('instances') });
  const report = evaluateFleet(scenario, {
    detector,
    horizonMs: num('horizon-days') * 86_400_000,
    // Two days of history: a shorter fit mistakes the daily exam cycle (power, tube current) for a trend.
    trendSamples: Math.round((2 * 86_400_000) / intervalMs),
    trendMinSpanMs: 86_400_000,
    debounceMs: 3_600_000,
    minAnomalyRate: num('min-rate'),
    ignoreFirstMs: 86_400_000,
  });
  reports.push(report);
  const secs = (performance.now() - started) / 1000;
  process.stderr.write(`seed ${seed} done (${reports.length}/${seeds.length}, ${secs.toFixed(0)} s): ${report.falseAlarms} false alarms over ${report.healthyScannerDays.toFixed(1)} scanner-days\n`);
}
const s = summarizeFleet(reports);
const h = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(1)} h`);
console.log(`${'fault'.padEnd(20)} ${'detected'.padStart(9)} ${'rate'.padStart(6)} ${'median lead'.padStart(12)} ${'p10 lead'.padStart(10)}`);
for (const k of s.kinds) {
  console.log(`${k.kind.padEnd(20)} ${`${k.detected}/${k.faults}`.padStart(9)} ${`${Math.round((100 * k.detected) / Math.max(1, k.faults))}%`.padStart(6)} ${h(k.medianLeadH).padStart(12)} ${h(k.p10LeadH).padStart(10)}`);
}
const perDay = (n: number): string => (n / Math.max(1e-9, s.scannerDays)).toFixed(3);
console.log(`false alarms by cause (per healthy scanner-day): ${s.byCause.map(([c, n]) => `${c} ${n} (${perDay(n)})`).join(', ') || 'none'}`);
console.log(`summary: ${s.falseAlarms} false alarms over ${s.scannerDays.toFixed(1)} healthy scanner-days = ${s.rate.toFixed(3)} per scanner-day (95 % CI ${s.ci95[0].toFixed(3)}-${s.ci95[1].toFixed(3)}); detected ${s.kinds.reduce((x, k) => x + k.detected, 0)}/${s.kinds.reduce((x, k) => x + k.faults, 0)} faults; seeds ${a.seeds}`);
