// Runs one what-if experiment off the main thread: a few seconds of simulation must not stall MQTT acks,
// Socket.IO or other requests.
import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario, SiteModel } from '../../contracts/whatif.js';
import { runWhatIf, type ExperimentOptions } from './experiment.js';

const { model, scenario, opts } = workerData as { model: SiteModel; scenario: Scenario; opts: ExperimentOptions };
try {
  parentPort?.postMessage({ ok: true, result: runWhatIf(model, scenario, opts) });
} catch (err) {
  const e = err as Error & { statusCode?: number };
  parentPort?.postMessage({ ok: false, message: e.message, statusCode: e.statusCode ?? 500 });
}
