// `npm test`: installs the Debian packages the tests run for real (InfluxDB, Mosquitto, Chromium, Orthanc,
// DCMTK) when missing, builds the dashboard, then runs every *.test.ts with node's test runner. Each test
// file starts the private services it needs on free ports and removes them afterwards.
// Pass paths or a substring filter: `npm test -- test/telemetry`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BINARIES, ensureBinaries } from '../server/services/system-packages.js';
import { buildWebIfStale } from './build-web.js';

const say = (l: string) => process.stdout.write(`${l}\n`);
if (process.argv.includes('--help')) {
  say('usage: npm test -- [--concurrency N] [PATH OR SUBSTRING ...]\n\nInstalls the Debian packages the tests need, builds the dashboard, and runs every *.test.ts under test/ and e2e/\n(or those whose path contains one of the arguments) with node\'s test runner, on real services.\n\n--concurrency N  test files run at once (default 2: most files wait on services and timers, not the CPU;\n                 each file starts its own services on free ports in its own temp folder)');
  process.exit(0);
}
say('[gantry] checking system packages for the tests (influxdb, mosquitto, chromium, orthanc, dcmtk, redis)…');
ensureBinaries(Object.values(BINARIES), say);
buildWebIfStale(say);

function find(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'data' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const at = args.indexOf('--concurrency');
const concurrency = at >= 0 ? Number(args.splice(at, 2)[1]) : 2;
if (!Number.isInteger(concurrency) || concurrency < 1) {
  say('--concurrency needs a whole number >= 1');
  process.exit(2);
}
const filters = args;
const files = ['test', 'e2e'].flatMap((d) => find(d)).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
say(`[gantry] running ${files.length} test files, ${concurrency} at a time`);
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(res.status ?? 1);
