// `npm run whatif -- --scenario add-ct`: runs a what-if scenario and prints the difference it makes.
// Without --url it simulates the default model of one site of the simulated fleet (same layout as
// `npm start`); with --url it asks a running Gantry (POST /api/whatif), whose model comes from stored data.
//   --scenario NAME   add-ct | add-mri | mri-volume-15 | ct-volume-15 | mri-down-3d | ct-down-3d |
//                     mri-extended-2h | add-radiologist, or a JSON scenario ('{"kind":"volume",...}')
//   --site ID (central)  --replications N  --days N  --warmup-days N  --seed N  --json (print raw JSON)
//   --url http://127.0.0.1:8080  --token TOKEN (sent as a bearer token)
import { parseCli } from '../lib/cli-args.js';
import { Value } from '@sinclair/typebox/value';
import { Scenario, WhatIfResult, type Scenario as ScenarioT, type WhatIfResult as Result } from '../contracts/whatif.js';
import { fleetLayout } from '../collectors/simulator/fleet.js';
import { loadConfig } from '../server/config/load.js';
import { runWhatIf } from '../server/whatif/experiment.js';
import { buildSiteModel } from '../server/whatif/site-model.js';

const PRESETS: Record<string, (site: string) => ScenarioT> = {
  'add-ct': () => ({ kind: 'add-scanner', modality: 'ct' }),
  'add-mri': () => ({ kind: 'add-scanner', modality: 'mri' }),
  'mri-volume-15': () => ({ kind: 'volume', modality: 'mri', pct: 15 }),
  'ct-volume-15': () => ({ kind: 'volume', modality: 'ct', pct: 15 }),
  'mri-down-3d': (site) => ({ kind: 'scanner-down', scannerId: `${site}-mri-1`, days: 3 }),
  'ct-down-3d': (site) => ({ kind: 'scanner-down', scannerId: `${site}-ct-1`, days: 3 }),
  'mri-extended-2h': () => ({ kind: 'extended-hours', modality: 'mri', extraHours: 2 }),
  'add-radiologist': () => ({ kind: 'add-radiologist', count: 1 }),
};

const { values } = parseCli({
  command: 'npm run whatif --',
  summary: 'Runs a what-if scenario on a site\'s capacity model and prints the difference it makes (paired, with 95 % intervals).',
  options: {
    scenario: { type: 'string', default: 'add-ct', description: `preset (${Object.keys(PRESETS).join(', ')}) or a JSON scenario` },
    site: { type: 'string', default: 'central', description: 'site of the simulated fleet (or of the running Gantry with --url)' },
    replications: { type: 'string', description: 'replications per arm (default: config whatif.replications)' },
    days: { type: 'string', description: 'simulated days per replication' },
    'warmup-days': { type: 'string', description: 'days discarded at the start of each replication' },
    seed: { type: 'string', description: 'seed of the common random numbers' },
    url: { type: 'string', description: 'ask a running Gantry (POST /api/whatif) instead of simulating locally' },
    token: { type: 'string', description: 'API token sent as a bearer token with --url' },
    json: { type: 'boolean', default: false, description: 'print the raw JSON result' },
  },
});

const config = loadConfig();
const site = values.site as string;
const raw = values.scenario as string;
const scenario: unknown = raw.trim().startsWith('{') ? JSON.parse(raw) : PRESETS[raw]?.(site);
if (!scenario || !Value.Check(Scenario, scenario)) {
  process.stderr.write(`unknown or invalid scenario "${raw}"; presets: ${Object.keys(PRESETS).join(', ')}\n`);
  process.exit(2);
}
const num = (v: string | undefined, def: number) => (v === undefined ? def : Number(v));
const opts = {
  replications: num(values.replications, config.whatif.replications),
  days: num(values.days, config.whatif.days),
  warmupDays: num(values['warmup-days'], config.whatif.warmupDays),
  seed: num(values.seed, config.whatif.seed),
};

let result: Result;
if (values.url) {
  const res = await fetch(`${values.url.replace(/\/$/, '')}/api/whatif`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(values.token ? { authorization: `Bearer ${values.token}` } : {}) },
    body: JSON.stringify({ site, scenario, ...opts }),
  });
  if (!res.ok) { process.stderr.write(`${res.status} ${await res.text()}\n`); process.exit(1); }
  result = (await res.json()) as Result;
  if (!Value.Check(WhatIfResult, result)) process.stderr.write('warning: the answer does not match the WhatIfResult contract\n');
} else {
  const scanners = fleetLayout(config.simulator.scanners).filter((s) => s.site === site).map((s) => ({ id: s.scannerId, modality: s.modality }));
  if (scanners.length === 0) { process.stderr.write(`site "${site}" is not in the simulated fleet\n`); process.exit(2); }
  const model = buildSiteModel({ site, scanners, examEvents: [], fitFrom: 0, fitTo: 0, timezone: config.whatif.timezone, radiologists: config.whatif.radiologists });
  result = runWhatIf(model, scenario, opts);
}

if (values.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  // Round before printing so a difference of -0.00001 does not show as -0.0.
  const f = (v: number | null, d = 1) => (v === null ? '–' : (Math.round(v * 10 ** d) / 10 ** d || 0).toFixed(d));
  const est = (e: { mean: number | null; ciLow: number | null; ciHigh: number | null }, d = 1) => `${f(e.mean, d)} [${f(e.ciLow, d)}, ${f(e.ciHigh, d)}]`;
  const out: string[] = [];
  out.push(`What-if at site ${result.site}: ${JSON.stringify(result.scenario)}`);
  out.push(`${result.replications} replications × ${result.days} days (after ${result.warmupDays} warm-up days), seed ${result.seed}, ${result.elapsedMs} ms`);
  out.push(`model: ${result.model.modalities.map((m) => `${m.scanners.length} ${m.modality} (open ${m.openHours.start}-${m.openHours.end} h, ${m.arrivalsPerHour.reduce((a, b) => a + b, 0).toFixed(0)} exams/day)`).join(', ')}, ${result.model.reading.radiologists} radiologists`);
  out.push('');
  out.push(`${'scope'.padEnd(8)} ${'metric'.padEnd(16)} ${'unit'.padEnd(9)} ${'baseline [95 % CI]'.padEnd(24)} ${'scenario [95 % CI]'.padEnd(24)} difference [95 % CI]`);
  for (const m of result.metrics) {
    const d = m.unit === 'h' ? 2 : 1;
    out.push(`${m.scope.padEnd(8)} ${m.name.padEnd(16)} ${m.unit.padEnd(9)} ${est(m.baseline, d).padEnd(24)} ${est(m.scenario, d).padEnd(24)} ${est(m.difference, d)}${m.difference.significant ? ' *' : ''}`);
  }
  out.push('', '* the 95 % confidence interval of the paired difference excludes 0');
  process.stdout.write(`${out.join('\n')}\n`);
}
