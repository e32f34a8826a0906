// Wires the simulated PACS into the platform: its DICOM listener starts before the PACS collector (which
// gets its target entry like any configured one), its storage agent after Gantry subscribes to pushed
// metrics. Its ground truth goes beside the fleet simulator's, under the data folder.
import { join } from 'node:path';
import { PacsSimulator } from '../../collectors/pacs-simulator/simulator.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../../lib/logger.js';

export const PACS_GROUND_TRUTH_FILE = 'simulator/pacs-ground-truth.json';

export async function startSimulatedPacs(config: Readonly<Config>, dataDir: string, mqtt: { url: string; username?: string | undefined; password?: string | undefined }, log: Logger): Promise<PacsSimulator> {
  const s = config.pacs.simulator;
  if (config.pacs.targets.some((t) => t.id === s.id)) throw new Error(`pacs.simulator.id "${s.id}" is also a configured pacs.targets id`);
  const sim = new PacsSimulator({
    pacsId: s.id, site: s.site, aet: s.aet, callingAet: s.callingAet, port: s.port, seed: s.seed, timeScale: s.timeScale,
    cycleSeconds: s.cycleSeconds, faultSeconds: s.faultSeconds, probeIntervalMs: s.probeIntervalMs, backfillDays: s.backfillDays,
    storageIntervalMs: s.storageIntervalMs, mqtt, groundTruthPath: join(dataDir, PACS_GROUND_TRUTH_FILE),
  }, log);
  await sim.startScp();
  return sim;
}
