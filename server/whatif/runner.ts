// Runs what-if experiments in a worker thread, one at a time: the simulation is CPU-bound, and the machine
// that ingests the fleet's telemetry must keep its event loop free.
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../lib/ts-worker.js';
import type { Scenario, SiteModel, WhatIfResult } from '../../contracts/whatif.js';
import type { ExperimentOptions } from './experiment.js';
import { HttpError } from '../lib/http-error.js';

export class BusyError extends HttpError {
  constructor(message: string) { super(429, message); }
}

function startWorker(workerData: unknown): Worker {
  return startModuleWorker(import.meta.url, 'worker', workerData);
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
        const timer = setTimeout(() => reject(new HttpError(400, `the simulation took longer than ${this.timeoutMs / 1000} s; use fewer replications or days`)), this.timeoutMs);
        worker.once('message', (m: { ok: true; result: WhatIfResult } | { ok: false; message: string; statusCode: number }) => {
          clearTimeout(timer);
          if (m.ok) resolve(m.result); else reject(new HttpError(m.statusCode, m.message));
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
