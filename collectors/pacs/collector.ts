// Active and passive PACS collection for the configured targets. Every probe runs on its own loop: run,
// wait its interval, run again — so a slow PACS is never hit by overlapping probes of the same kind, and
// one probe's timeout cannot delay another's. Results go to a PacsIntake (spool + bus + derived signals).
import { readFileSync } from 'node:fs';
import type { PacsProbeKind, PacsProbeResult, StudyAgeBucket } from '../../contracts/pacs.js';
import type { PacsTarget } from './target.js';
import type { Logger } from '../../lib/logger.js';
import { LogThrottle } from '../../lib/log-throttle.js';
import type { PacsIntake } from './intake.js';
import type { Collector } from '../types.js';
import { cEcho, cFindStudiesOfDay, cGetStudy, type DimseEndpoint, type DimseOutcome } from './dimse.js';
import { folderBytes, orthancStatistics, scrapePrometheus, statfsUsage } from './passive.js';
import { wadoRetrieveStudy } from './wado.js';
import { DAY } from '../../contracts/units.js';

const DEFAULT_PASSIVE_MS = 60_000;

export function ageBucketOf(studyDate: string | undefined, now: number): StudyAgeBucket {
  if (!studyDate || !/^\d{8}$/.test(studyDate)) return 'unknown';
  const t = Date.UTC(Number(studyDate.slice(0, 4)), Number(studyDate.slice(4, 6)) - 1, Number(studyDate.slice(6, 8)));
  const days = (now - t) / DAY;
  if (days < 7) return 'lt_7d';
  if (days < 90) return 'lt_90d';
  if (days < 365) return 'lt_1y';
  if (days < 3 * 365) return 'lt_3y';
  return 'ge_3y';
}

function today(now: number): string {
  return new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
}

/** Reads the PEM files named in config once, at start (a missing file stops start-up with its path). */
function readTls(tls: NonNullable<PacsTarget['tls']>): NonNullable<DimseEndpoint['tls']> {
  return {
    ...(tls.ca ? { ca: readFileSync(tls.ca) } : {}),
    ...(tls.cert ? { cert: readFileSync(tls.cert) } : {}),
    ...(tls.key ? { key: readFileSync(tls.key) } : {}),
    ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
  };
}

export interface PacsCollectorOptions {
  targets: readonly PacsTarget[];
  /** Calling AE title when a target names none. */
  defaultCallingAet?: string;
}

export class PacsCollector implements Collector {
  readonly name = 'pacs';
  private running = false;
  /** Set when stop() gave up waiting for probes in flight: their late results are dropped. */
  private abandoned = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly throttle: LogThrottle;
  /** Probes completed since start (the bench reads this). */
  completed = 0;

  private readonly intake: PacsIntake;

  constructor(private readonly opts: PacsCollectorOptions, intake: PacsIntake, private readonly log: Logger) {
    this.throttle = new LogThrottle(log);
    // Results of probes that stop() stopped waiting for are dropped here, in one place for every source.
    this.intake = {
      probe: (r) => { if (!this.abandoned) intake.probe(r); },
      storage: (x) => { if (!this.abandoned) intake.storage(x); },
      stats: (...a) => { if (!this.abandoned) intake.stats(...a); },
    };
  }

  async start(): Promise<void> {
    this.running = true;
    for (const t of this.opts.targets) this.schedule(t);
    this.log.info({ targets: this.opts.targets.map((t) => t.id) }, 'PACS collector started');
  }

  /**
   * Waits for the probes in flight at most `graceMs`, then leaves them: a retrieval from a slow or silent PACS
   * runs until its timeout (two minutes by default), and shutdown must not wait for a result nobody records.
   */
  async stop(graceMs = 1500): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => { timer = setTimeout(r, graceMs); });
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    clearTimeout(timer);
    // What finishes later would go to an intake (spool) that is closing behind us.
    this.abandoned = this.inFlight.size > 0;
  }

  private loop(what: string, intervalMs: number, fn: () => Promise<void>): void {
    const tick = async () => {
      if (!this.running) return;
      const p = fn().catch((err: unknown) => this.throttle.warn(what, { err: (err as Error).message }, 'PACS source failed'));
      this.inFlight.add(p);
      await p;
      this.inFlight.delete(p);
      if (!this.running) return;
      const t = setTimeout(() => { this.timers.delete(t); void tick(); }, intervalMs);
      this.timers.add(t);
    };
    void tick();
  }

  private schedule(t: PacsTarget): void {
    const ep: DimseEndpoint = {
      host: t.host, port: t.port, calledAet: t.calledAet, callingAet: t.callingAet ?? this.opts.defaultCallingAet ?? 'GANTRY',
      ...(t.tls ? { tls: readTls(t.tls) } : {}),
    };
    const report = (probe: PacsProbeKind, o: DimseOutcome, extra: Partial<PacsProbeResult> = {}) => {
      this.completed += 1;
      const r: PacsProbeResult = { pacsId: t.id, site: t.site, ts: Date.now(), probe, ...o, ...extra };
      if (!o.ok) this.throttle.warn(`${t.id}:${probe}:${o.cause}`, { pacs: t.id, probe, cause: o.cause, code: o.code }, 'PACS probe failed');
      this.intake.probe(r);
    };
    if (t.echo.enabled) this.loop(`${t.id}:echo`, t.echo.intervalMs, async () => report('echo', await cEcho(ep, t.echo.timeoutMs)));
    if (t.find.enabled) {
      this.loop(`${t.id}:find`, t.find.intervalMs, async () => report('find', await cFindStudiesOfDay(ep, t.find.timeoutMs, t.find.studyDate ?? today(Date.now()))));
    }
    if (t.retrieve.enabled && t.canaries.length > 0) {
      this.loop(`${t.id}:retrieve`, t.retrieve.intervalMs, async () => {
        for (const c of t.canaries) {
          if (!this.running) return;
          const viaWado = c.method === 'wado-rs' && t.dicomweb;
          const o = viaWado && t.dicomweb
            ? await wadoRetrieveStudy(t.dicomweb, t.retrieve.timeoutMs, c.studyInstanceUid)
            : await cGetStudy(ep, t.retrieve.timeoutMs, c.studyInstanceUid);
          const mbPerSec = o.ok && o.bytes && o.durationMs > 0 ? o.bytes / 1e6 / (o.durationMs / 1000) : undefined;
          report('retrieve', o, {
            canary: c.name, ageBucket: c.ageBucket ?? ageBucketOf(c.studyDate, Date.now()),
            ...(c.tier ? { tier: c.tier } : {}), ...(mbPerSec !== undefined ? { mbPerSec } : {}),
          });
        }
      });
    }
    this.schedulePassive(t);
  }

  private schedulePassive(t: PacsTarget): void {
    const orthancTiers = t.tiers.filter((x) => x.source === 'orthanc');
    if (t.rest) {
      const rest = t.rest;
      this.loop(`${t.id}:rest`, rest.intervalMs ?? DEFAULT_PASSIVE_MS, async () => {
        const stats = await orthancStatistics(rest);
        const now = Date.now();
        this.intake.stats(t.id, t.site, 'rest', now, stats);
        for (const tier of orthancTiers) {
          if (stats.disk_size_bytes === undefined) continue;
          this.intake.storage({ pacsId: t.id, site: t.site, ts: now, source: 'orthanc', tier: tier.name, usedBytes: stats.disk_size_bytes, ...(tier.capacityBytes ? { capacityBytes: tier.capacityBytes } : {}) });
        }
      });
    } else if (orthancTiers.length > 0) {
      this.log.warn({ pacs: t.id }, 'tiers with source "orthanc" need the target\'s rest settings; they are not sampled');
    }
    if (t.prometheus) {
      const prom = t.prometheus;
      this.loop(`${t.id}:prometheus`, prom.intervalMs ?? DEFAULT_PASSIVE_MS, async () => {
        this.intake.stats(t.id, t.site, 'prometheus', Date.now(), await scrapePrometheus(prom));
      });
    }
    for (const tier of t.tiers) {
      if (tier.source === 'orthanc') continue;
      const path = tier.path;
      if (!path) { this.log.warn({ pacs: t.id, tier: tier.name }, `tier with source "${tier.source}" needs a path; not sampled`); continue; }
      this.loop(`${t.id}:tier:${tier.name}`, tier.intervalMs ?? DEFAULT_PASSIVE_MS, async () => {
        const usage = tier.source === 'statfs' ? await statfsUsage(path) : { usedBytes: await folderBytes(path), capacityBytes: undefined };
        const capacityBytes = tier.capacityBytes ?? usage.capacityBytes;
        this.intake.storage({ pacsId: t.id, site: t.site, ts: Date.now(), source: tier.source, tier: tier.name, usedBytes: usage.usedBytes, ...(capacityBytes ? { capacityBytes } : {}) });
      });
    }
  }
}
