// npm run bench — every benchmark in turn. Each prints its figures beside a baseline measured in the same
// run and saves JSON under bench-results/. Benchmarks are not tests: nothing here passes or fails on speed.
// `npm run bench -- ingest web` runs a subset.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts)
  .filter((s) => s.startsWith('bench:'));
const wanted = process.argv.slice(2);
if (wanted.includes('--help') || wanted.includes('-h')) {
  process.stdout.write(`usage: npm run bench -- [NAME ...]\n\nRuns every bench:* script in turn (or the named ones: ${scripts.map((s) => s.slice(6)).join(', ')}).\n`);
  process.exit(0);
}
const unknown = wanted.filter((w) => !scripts.includes(`bench:${w}`));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; run npm run bench -- --help\n`);
  process.exit(2);
}
const run = scripts.filter((s) => wanted.length === 0 || wanted.includes(s.slice('bench:'.length)));
let failed = 0;
for (const s of run) {
  process.stdout.write(`\n=== npm run ${s}\n`);
  const started = Date.now();
  const res = spawnSync('npm', ['run', '--silent', s], { stdio: 'inherit' });
  process.stdout.write(`=== ${s}: ${res.status === 0 ? 'done' : `exit ${res.status}`} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  if (res.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
