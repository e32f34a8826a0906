// The simulated PACS as the platform runs it: the DICOM SCP (with its fault schedule and outage windows),
// the storage agent pushing tier usage, the ground-truth file, and the pacs.targets entry that points
// Gantry's ordinary probes at it — the same entry a user writes for a real PACS (docs/pacs.md).
import type { PacsSimGroundTruth } from '../../contracts/pacs-simulator.js';
import { AtomicFile } from '../../lib/atomic-file.js';
import type { Logger } from '../../lib/logger.js';
import type { PacsTarget } from '../pacs/target.js';
import { SyntheticArchive, TIERS } from './archive.js';
import { FaultSchedule } from './faults.js';
import { ScpListener } from './scp.js';
import { StorageAgent } from './storage-agent.js';

export interface PacsSimulatorOptions {
  pacsId: string;
  site: string;
  aet: string;
  callingAet: string;
  port: number;
  seed: number;
  /** 1 = real time; 0.1 = fault windows, latencies and probe timeouts ten times shorter (tests). */
  timeScale: number;
  cycleSeconds: number;
  faultSeconds: number;
  probeIntervalMs: number;
  backfillDays: number;
  storageIntervalMs: number;
  mqtt: { url: string; username?: string | undefined; password?: string | undefined };
  groundTruthPath?: string;
}

/** Canary studies, one per study-age bucket: hot, warm, warm, archive, archive. */
const CANARY_AGES: readonly { name: string; days: number }[] = [
  { name: 'recent', days: 2 }, { name: 'month', days: 45 }, { name: 'half-year', days: 200 }, { name: 'two-years', days: 730 }, { name: 'five-years', days: 1825 },
];
const OUTAGE_TICK_MS = 50;

export class PacsSimulator {
  readonly archive: SyntheticArchive;
  readonly schedule: FaultSchedule;
  readonly startMs = Date.now();
  private readonly scp: ScpListener;
  private storage: StorageAgent | undefined;
  private port = 0;
  private ticker: NodeJS.Timeout | undefined;
  private switching: Promise<unknown> = Promise.resolve();
  private readonly truthFile: AtomicFile | undefined;
  private windowsWritten = -1;

  constructor(private readonly o: PacsSimulatorOptions, private readonly log: Logger) {
    this.archive = new SyntheticArchive(o.seed);
    const s = o.timeScale;
    this.schedule = new FaultSchedule({ seed: o.seed, startMs: this.startMs, cycleMs: o.cycleSeconds * 1000 * s, windowMs: o.faultSeconds * 1000 * s, timeScale: s });
    this.scp = new ScpListener({ aet: o.aet, knownCallingAets: [o.callingAet], archive: this.archive, timeScale: s, seed: o.seed, faultAt: (t) => this.schedule.at(t) });
    this.truthFile = o.groundTruthPath ? new AtomicFile(o.groundTruthPath, 0o644) : undefined;
  }

  /** Starts the DICOM listener; returns its port. */
  async startScp(): Promise<number> {
    this.port = await this.scp.listen(this.o.port);
    this.ticker = setInterval(() => this.tick(), OUTAGE_TICK_MS);
    this.tick();
    this.log.info({ port: this.port, aet: this.o.aet, faults: this.schedule.windows(this.startMs + this.schedule.cycleMs).map((w) => `${w.kind}@+${Math.round((w.startMs - this.startMs) / 1000)}s`) }, 'simulated PACS listening');
    return this.port;
  }

  /** Starts the storage agent (after Gantry subscribes to pushed metrics); resolves once its backfill is out. */
  async startStorage(): Promise<void> {
    const o = this.o;
    this.storage = new StorageAgent({
      ...o.mqtt, pacsId: o.pacsId, site: o.site, tiers: TIERS, seed: o.seed, anchorMs: this.startMs,
      backfillDays: o.backfillDays, backfillStepMs: 1_800_000, intervalMs: o.storageIntervalMs,
    });
    const n = await this.storage.start();
    this.log.info({ samples: n, days: o.backfillDays }, 'simulated PACS tier history published');
  }

  /** An outage closes the listener (connections are refused) and reopens it on the same port afterwards. */
  private tick(): void {
    const down = this.schedule.at(Date.now()) === 'outage';
    if (down && this.scp.listening) this.switching = this.switching.then(() => this.scp.close());
    else if (!down && !this.scp.listening) this.switching = this.switching.then(() => (this.scp.listening ? undefined : this.scp.listen(this.port))).catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'simulated PACS could not listen again'));
    const started = this.schedule.startedCount(Date.now());
    if (started !== this.windowsWritten) {
      this.windowsWritten = started;
      void this.truthFile?.write(`${JSON.stringify(this.groundTruth(), null, 2)}\n`).catch(() => undefined);
    }
  }

  groundTruth(until = Date.now() + this.schedule.cycleMs): PacsSimGroundTruth {
    const o = this.o;
    return {
      version: 1, generatedAt: new Date().toISOString(), pacsId: o.pacsId, seed: o.seed, startMs: this.startMs, cycleMs: this.schedule.cycleMs, timeScale: o.timeScale,
      tiers: TIERS.map((t) => ({ name: t.name, maxAgeDays: t.maxAgeDays, capacityBytes: t.capacityBytes, fillPctNow: t.fillPctNow, growthPctPerDay: t.growthPctPerDay })),
      windows: this.schedule.windows(until),
    };
  }

  /** The pacs.targets entry for this PACS: what a user writes for a real one (host, port, AE titles, canaries). */
  target(): PacsTarget {
    const o = this.o;
    const s = o.timeScale;
    // Timeouts shrink with simulated time but keep a floor: a loaded machine must not look like a faulty PACS.
    const ms = (v: number, floor: number) => Math.max(floor, Math.round(v * s));
    return {
      id: o.pacsId, site: o.site, host: '127.0.0.1', port: this.port, calledAet: o.aet, callingAet: o.callingAet,
      echo: { enabled: true, intervalMs: o.probeIntervalMs, timeoutMs: ms(3000, 1000) },
      find: { enabled: true, intervalMs: 2 * o.probeIntervalMs, timeoutMs: ms(5000, 1500) },
      retrieve: { enabled: true, intervalMs: 2 * o.probeIntervalMs, timeoutMs: ms(20_000, 3000) },
      canaries: CANARY_AGES.map((c) => {
        const { uid, studyDate } = this.archive.canary(c.days, this.startMs);
        const study = this.archive.study(uid, this.startMs);
        return { name: c.name, studyInstanceUid: uid, studyDate, ...(study ? { tier: study.tier.name } : {}) };
      }),
      tiers: [],
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.ticker = undefined;
    await this.switching;
    await this.storage?.stop();
    await this.scp.close();
    if (this.truthFile) await this.truthFile.write(`${JSON.stringify(this.groundTruth(Date.now()), null, 2)}\n`).catch(() => undefined);
  }
}
