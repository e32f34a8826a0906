// Runs what-if experiments in a worker thread, one at a time: the simulation is CPU-bound, and the machine
// that ingests the fleet's telemetry must keep its event loop free.
import { Worker } from 'node:worker_threads';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario, SiteModel, WhatIfResult } from '../../contracts/whatif.js';
import type { ExperimentOptions } from './experiment.js';

export class BusyError extends Error {
  readonly statusCode = 429;
  override readonly name = 'Too Many Requests';
}

class WorkerError extends Error {
  constructor(message: string, readonly statusCode: number) { super(message); }
  override get name(): string { return this.statusCode === 400 ? 'Bad Request' : 'Error'; }
}

// The worker has the same extension as this file: .ts under tsx, .js once compiled. Node 20 does not pass
// loader hooks registered with --import on to worker threads, so a .ts worker registers tsx itself first.
const EXT = extname(fileURLToPath(import.meta.url));
const WORKER_URL = new URL(`./worker${EXT}`, import.meta.url);

function startWorker(workerData: unknown): Worker {
  if (EXT !== '.ts') return new Worker(WORKER_URL, { workerData });
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

export class WhatIfRunner {
  private running = 0;

  constructor(private readonly maxConcurrent = 1, private readonly timeoutMs = 120_000) {}

  async run(model: SiteModel, scenario: Scenario, opts: ExperimentOptions): Promise<WhatIfResult> {
    if (this.running >= this.maxConcurrent) throw new BusyError('a what-if simulation is already running; try again in a few seconds');
    this.running++;
    const worker = startWorker({ model, scenario, opts });
    try {
      return await new Promise<WhatIfResult>((resolve, reject) => {
        const timer = setTimeout(() => reject(new WorkerError(`the simulation took longer than ${this.timeoutMs / 1000} s; use fewer replications or days`, 400)), this.timeoutMs);
        worker.once('message', (m: { ok: true; result: WhatIfResult } | { ok: false; message: string; statusCode: number }) => {
          clearTimeout(timer);
          if (m.ok) resolve(m.result); else reject(new WorkerError(m.message, m.statusCode));
        });
        worker.once('error', (err) => { clearTimeout(timer); reject(err); });
        worker.once('exit', (code) => { clearTimeout(timer); if (code !== 0) reject(new Error(`what-if worker exited with code ${code}`)); });
      });
    } finally {
      this.running--;
      await worker.terminate();
    }
  }
}
