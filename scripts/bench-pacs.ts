// `npm run bench:pacs`: how many probes per second one PACS collector sustains against a private Orthanc,
// beside the raw baselines measured in the same run: DCMTK echoscu in a loop (one process per echo) and a
// bare dcmjs-dimse C-ECHO loop. Gantry's figure includes its scheduler, failure classification, line
// protocol, the durable spool and the derived-signal bookkeeping. Saves JSON under bench-results/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dimse from 'dcmjs-dimse';
import { loadConfig } from '../server/config/load.js';
import { createLogger } from '../lib/logger.js';
import { parseCli, numberOpt } from '../lib/cli-args.js';
import { EventBus } from '../lib/event-bus.js';
import { PacsCollector } from '../collectors/pacs/collector.js';
import { PacsPipeline } from '../server/pacs/pipeline.js';
import { Spool } from '../server/telemetry/spool.js';
import { startPrivateOrthanc, type PrivateOrthanc } from '../server/services/private-orthanc.js';
import { percentile } from '../server/pacs/signals.js';

const spec = {
  command: 'npm run bench:pacs --',
  summary: 'Probes per second of one PACS collector against a private Orthanc, beside echoscu and bare dcmjs-dimse baselines.',
  options: {
    seconds: { type: 'string', description: 'seconds per measurement (default 8; also the first positional)' },
    concurrency: { type: 'string', description: 'probes in flight (default 4; also the second positional)' },
  },
  positionals: '[SECONDS [CONCURRENCY]]',
} as const;
const cli = parseCli(spec);
const SECONDS = numberOpt(spec, 'seconds', cli.values.seconds ?? cli.positionals[0] ?? '8');
const CONCURRENCY = numberOpt(spec, 'concurrency', cli.values.concurrency ?? cli.positionals[1] ?? '4');
const say = (l: string) => process.stdout.write(`${l}\n`);

interface Figure { name: string; probes: number; seconds: number; perSecond: number; p50Ms: number; p95Ms: number; failures: number; cpuMsPerProbe?: number }

/** cpu: this process's CPU time (user + system, µs) spent during the run, for in-process runs. */
function figure(name: string, durations: number[], seconds: number, failures: number, cpu?: NodeJS.CpuUsage): Figure {
  const sorted = [...durations].sort((a, b) => a - b);
  const n = durations.length + failures;
  return {
    name, probes: durations.length, seconds, perSecond: durations.length / seconds, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), failures,
    ...(cpu && n > 0 ? { cpuMsPerProbe: (cpu.user + cpu.system) / 1000 / n } : {}),
  };
}

function echoscuLoop(o: PrivateOrthanc): Figure {
  const durations: number[] = [];
  let failures = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    const s = performance.now();
    const r = spawnSync('/usr/bin/echoscu', ['-aet', 'GANTRY', '-aec', o.aet, o.host, String(o.dicomPort)]);
    if (r.status === 0) durations.push(performance.now() - s); else failures += 1;
  }
  return figure('DCMTK echoscu, sequential (one process per echo)', durations, (performance.now() - t0) / 1000, failures);
}

function bareEcho(o: PrivateOrthanc): Promise<boolean> {
  return new Promise((resolve) => {
    const client = new dimse.Client();
    const req = new dimse.requests.CEchoRequest();
    let ok = false;
    req.on('response', (r: InstanceType<typeof dimse.responses.Response>) => { ok = r.getStatus() === dimse.constants.Status.Success; });
    client.on('networkError', () => resolve(false));
    client.on('closed', () => resolve(ok));
    client.addRequest(req);
    client.send(o.host, o.dicomPort, 'GANTRY', o.aet);
  });
}

async function bareLoop(o: PrivateOrthanc, concurrency: number): Promise<Figure> {
  const durations: number[] = [];
  let failures = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const s = performance.now();
      if (await bareEcho(o)) durations.push(performance.now() - s); else failures += 1;
    }
  }));
  return figure(`bare dcmjs-dimse C-ECHO loop, ${concurrency} in parallel`, durations, (performance.now() - t0) / 1000, failures, process.cpuUsage(cpu0));
}

async function gantryCollector(o: PrivateOrthanc, concurrency: number, dir: string): Promise<Figure> {
  // One target per parallel loop: the collector runs each target's echo on its own loop, interval 0.
  const targets = loadConfig({}, {
    'pacs.targets': Array.from({ length: concurrency }, (_, i) => ({
      id: `bench-${i}`, site: 'bench', host: o.host, port: o.dicomPort, calledAet: o.aet, callingAet: 'GANTRY',
      echo: { intervalMs: 0, timeoutMs: 10000 }, find: { enabled: false }, retrieve: { enabled: false },
    })),
  }).pacs.targets;
  const spool = new Spool({ dir: join(dir, 'spool'), maxBytes: 1 << 30 });
  const bus = new EventBus();
  const durations: number[] = [];
  let failures = 0;
  bus.on('pacs:probe', (r) => { if (r.ok) durations.push(r.durationMs); else failures += 1; });
  const log = createLogger('warn');
  const pipeline = new PacsPipeline(spool, bus, { derivedIntervalMs: 1000, probeWindowMs: 3_600_000, growthWindowMs: 3_600_000 }, log);
  const collector = new PacsCollector({ targets }, pipeline, log);
  pipeline.start();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await collector.start();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  await collector.stop();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  pipeline.stop();
  spool.close();
  return figure(`Gantry PACS collector (scheduler + classify + spool + signals), ${concurrency} parallel loops`, durations, seconds, failures, cpu);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-bench-pacs-'));
  const orthanc = await startPrivateOrthanc({ dir: join(dir, 'orthanc') });
  try {
    say(`[bench:pacs] private Orthanc on ${orthanc.host}:${orthanc.dicomPort}; ${SECONDS} s per run, ${CONCURRENCY} parallel; C-ECHO each, new association per probe`);
    const figures: Figure[] = [];
    const run = async (f: Promise<Figure> | Figure) => {
      const x = await f;
      figures.push(x);
      const cpu = x.cpuMsPerProbe !== undefined ? `  cpu ${x.cpuMsPerProbe.toFixed(2)} ms/probe` : '';
      say(`  ${x.perSecond.toFixed(1).padStart(7)} probes/s  p50 ${x.p50Ms.toFixed(1)} ms  p95 ${x.p95Ms.toFixed(1)} ms${cpu}  (${x.probes} ok, ${x.failures} failed)  ${x.name}`);
    };
    await run(echoscuLoop(orthanc));
    await run(bareLoop(orthanc, 1));
    await run(gantryCollector(orthanc, 1, dir));
    await run(bareLoop(orthanc, CONCURRENCY));
    await run(gantryCollector(orthanc, CONCURRENCY, dir));
    mkdirSync('bench-results', { recursive: true });
    const file = join('bench-results', `pacs-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ seconds: SECONDS, concurrency: CONCURRENCY, figures }, null, 2));
    say(`[bench:pacs] saved ${file}`);
  } finally {
    await orthanc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
