import { parseArgs } from 'node:util';
import { initBackend } from '../models/src/backend.js';
import { evaluateFleet } from '../models/src/fleet/evaluate.js';
import { SimulatorScenarioSource } from './eval/fleet-simulator-source.js';

const { values: a } = parseArgs({
  options: {
    scanners: { type: 'string', default: '12' },
    days: { type: 'string', default: '10' },
    'interval-s': { type: 'string', default: '120' },
    seed: { type: 'string', default: '1' },
    'horizon-days': { type: 'string', default: '7' },
    'min-rate': { type: 'string', default: '0.02' },
  },
});

const backend = await initBackend();
const source = new SimulatorScenarioSource();
const intervalMs = Number(a['interval-s']) * 1000;
const scenario = source.build({ scanners: Number(a.scanners), days: Number(a.days), intervalMs, seed: Number(a.seed), faultAfterDays: 2 });
console.log(`backend ${backend}; ${scenario.scanners.length} scanners x ${a.days} days at ${a['interval-s']} s; ${scenario.faults.length} injected faults (kinds: ${source.faultKinds.join(', ')})`);
const started = performance.now();
const report = evaluateFleet(scenario, {
  detector: {},
  horizonMs: Number(a['horizon-days']) * 86_400_000,
  // Two days of history: a shorter fit mistakes the daily exam cycle (power, tube current) for a trend.
  trendSamples: Math.round((2 * 86_400_000) / intervalMs),
  trendMinSpanMs: 86_400_000,
  debounceMs: 3_600_000,
  minAnomalyRate: Number(a['min-rate']),
  ignoreFirstMs: 86_400_000,
});
console.log(`anomaly alerts need anomaly rate >= ${a['min-rate']}; forecasts alert when the 90 % band is within ${a['horizon-days']} days`);
console.log(`${report.samples} samples in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`${'fault'.padEnd(16)} ${'detected'.padStart(9)} ${'failed'.padStart(7)} ${'median lead'.padStart(12)}  first alert by`);
for (const k of report.kinds) {
  const lead = k.medianLeadMs === null ? 'n/a' : `${(k.medianLeadMs / 3_600_000).toFixed(1)} h`;
  console.log(`${k.kind.padEnd(16)} ${`${k.detected}/${k.faults}`.padStart(9)} ${String(k.failures).padStart(7)} ${lead.padStart(12)}  anomaly ${k.byAnomaly}, forecast ${k.byForecast}`);
}
const rate = report.falseAlarms / Math.max(1e-9, report.healthyScannerDays);
console.log(`false alarms: ${report.falseAlarms} over ${report.healthyScannerDays.toFixed(1)} healthy scanner-days = ${rate.toFixed(2)} per scanner-day (first day not counted; ${report.falseAlarmsByForecast} raised by forecasts alone)`);
console.log(`false alarms by cause: ${Object.entries(report.falseAlarmsByCause).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
