// npm run simulate -- --scanners N --rate HZ --seed S [--url mqtt://...] [--backfill-days D] [--scenario FILE]
// Publishes a simulated fleet to an MQTT broker (Gantry's embedded one by default) and writes the run's
// ground truth (docs/simulator.md). With --backfill-days it first publishes D days of history in simulated
// time, as batch payloads, as fast as ingest acknowledges them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Scenario } from '../../contracts/ground-truth.js';
import { createLogger } from '../../lib/logger.js';
import { fleetLayout } from './fleet.js';
import { FleetSimulator } from './publisher.js';
import { groundTruth, loadScenario, planFaults } from './scenario.js';

const USAGE = `usage: npm run simulate -- [--scanners 12] [--rate 1] [--seed 1] [--url mqtt://127.0.0.1:1883]
  [--backfill-days D] [--backfill-step-s 60] [--backfill-only] [--scenario FILE] [--random-faults K]
  [--duration SECONDS] [--truth FILE] [--username U --password P]`;

const { values: a } = parseArgs({
  options: {
    scanners: { type: 'string', default: '12' }, rate: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' },
    url: { type: 'string', default: 'mqtt://127.0.0.1:1883' }, 'backfill-days': { type: 'string' }, 'backfill-step-s': { type: 'string', default: '60' },
    'backfill-only': { type: 'boolean', default: false }, scenario: { type: 'string' }, 'random-faults': { type: 'string' },
    duration: { type: 'string' }, truth: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' }, help: { type: 'boolean', default: false },
  },
});
if (a.help) { process.stdout.write(`${USAGE}\n`); process.exit(0); }

const num = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) { process.stderr.write(`--${name} must be a number >= ${min}\n${USAGE}\n`); process.exit(2); }
  return n;
};

async function main(): Promise<void> {
  const log = createLogger('info').child({ module: 'simulate' });
  const count = num('scanners', a.scanners, 1);
  const rate = num('rate', a.rate, 0.001);
  const seed = Math.round(num('seed', a.seed, 0));
  const backfillDays = a['backfill-days'] === undefined ? 0 : num('backfill-days', a['backfill-days'], 0);
  const stepMs = num('backfill-step-s', a['backfill-step-s'], 0.01) * 1000;
  const duration = a.duration === undefined ? undefined : num('duration', a.duration, 0);
  const now = Date.now();
  const startMs = now - backfillDays * 86400000;
  const scenario: Scenario = a.scenario ? loadScenario(a.scenario) : { version: 1, faults: [] };
  if (a['random-faults'] !== undefined) scenario.randomFaults = Math.round(num('random-faults', a['random-faults'], 0));
  const specs = fleetLayout(count);
  const horizon = a['backfill-only'] ? now : now + (duration ?? 86400) * 1000;
  const faults = planFaults(scenario, specs, seed, startMs, horizon);
  const truthPath = resolve(a.truth ?? `data/simulator/ground-truth-seed${seed}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.json`);
  const writeTruth = (endMs: number | null) => {
    mkdirSync(dirname(truthPath), { recursive: true });
    const truth = groundTruth({ seed, specs, faults, mode: backfillDays > 0 ? 'backfill' : 'live', startMs, endMs, stepMs: backfillDays > 0 ? stepMs : 1000 / rate });
    writeFileSync(truthPath, `${JSON.stringify(truth, null, 2)}\n`);
  };
  writeTruth(a['backfill-only'] ? now : null);
  log.info({ truth: truthPath, faults: faults.length }, 'ground truth written');

  const sim = new FleetSimulator({ url: a.url, username: a.username, password: a.password, scanners: count, intervalMs: 1000 / rate, seed, faults }, log);
  if (backfillDays > 0) {
    const started = performance.now();
    const res = await sim.backfill({ startMs, endMs: now, stepMs }, (t) => log.info({ at: new Date(t).toISOString() }, 'backfill progress'));
    const s = (performance.now() - started) / 1000;
    log.info({ samples: res.samples, messages: res.messages, seconds: Math.round(s * 10) / 10, samplesPerSecond: Math.round(res.samples / s) }, 'backfill done');
  }
  if (a['backfill-only']) { await sim.stop(); return; }
  await sim.start();
  const stop = async () => { await sim.stop(); writeTruth(Date.now()); process.exit(0); };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (duration !== undefined) setTimeout(() => void stop(), duration * 1000);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
