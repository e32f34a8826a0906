// npm run simulate -- --scanners N --rate HZ --seed S [--url mqtt://...] [--backfill-days D] [--scenario FILE]
// Publishes a simulated fleet to an MQTT broker (Gantry's embedded one by default) and writes the run's
// ground truth (docs/simulator.md). With --backfill-days it first publishes D days of history in simulated
// time, as batch payloads, as fast as ingest acknowledges them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { cliFail, parseCli } from '../../lib/cli-args.js';
import type { Scenario } from '../../contracts/ground-truth.js';
import { createLogger } from '../../lib/logger.js';
import { fleetLayout } from './fleet.js';
import { FleetSimulator } from './publisher.js';
import { groundTruth, loadScenario, planFaults } from './scenario.js';


const { values: a } = parseCli({
  command: 'npm run simulate --',
  summary: 'A simulated fleet publishing scanner telemetry over MQTT like real scanners, with injectable faults and a ground-truth file.',
  options: {
    scanners: { type: 'string', default: '12', description: 'number of simulated scanners' },
    rate: { type: 'string', default: '1', description: 'readings per second per scanner' },
    seed: { type: 'string', default: '1', description: 'random seed (layout, noise, faults)' },
    url: { type: 'string', default: 'mqtt://127.0.0.1:1883', description: 'MQTT broker' },
    'backfill-days': { type: 'string', description: 'publish this many days of history first' },
    'backfill-step-s': { type: 'string', default: '60', description: 'seconds between backfilled samples' },
    'backfill-only': { type: 'boolean', default: false, description: 'stop after the backfill' },
    scenario: { type: 'string', description: 'scenario file with scripted faults (JSON)' },
    'random-faults': { type: 'string', description: 'K random faults over the run' },
    duration: { type: 'string', description: 'stop after this many seconds' },
    truth: { type: 'string', description: 'write the ground truth of the run to this file' },
    username: { type: 'string', description: 'MQTT username (a device credential)' },
    password: { type: 'string', description: 'MQTT password' },
  },
});

const num = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) { cliFail({ command: 'npm run simulate --' }, `--${name} must be a number >= ${min}`); }
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
