// The PACS write path: every probe result, storage sample and statistics scrape (from Gantry's own probes
// or pushed by an edge agent) goes to the spool (durable, drained to InfluxDB like telemetry), onto the
// event bus (live) and into the derived signals, which are recomputed on an interval and sent the same way.
import type { PacsDerived, PacsProbeResult, PacsStorageSample } from '../../contracts/pacs.js';
import type { PacsIntake } from '../../collectors/pacs/intake.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { Logger } from '../../lib/logger.js';
import { LogThrottle } from '../../lib/log-throttle.js';
import { derivedLines, probeLine, statsLine, storageLine, type PointSink } from './points.js';
import { PacsSignals } from './signals.js';

export type { PacsIntake };


export interface PacsPipelineOptions { derivedIntervalMs: number; probeWindowMs: number; growthWindowMs: number }

type PacsBus = Pick<EventBus, 'emit'>;

export class PacsPipeline implements PacsIntake {
  readonly signals: PacsSignals;
  private timer: NodeJS.Timeout | undefined;
  private readonly latest = new Map<string, PacsDerived>();
  private readonly throttle: LogThrottle;

  constructor(private readonly sink: PointSink, private readonly bus: PacsBus, private readonly opts: PacsPipelineOptions, private readonly log: Logger) {
    this.signals = new PacsSignals({ probeWindowMs: opts.probeWindowMs, growthWindowMs: opts.growthWindowMs });
    this.throttle = new LogThrottle(log);
  }

  private write(lines: string[]): void {
    try {
      this.sink.append(lines);
    } catch (err) {
      // The spool is full (InfluxDB unreachable for long): live figures still flow, the log says what is lost.
      this.throttle.warn('spool', { err: (err as Error).message, lines: lines.length }, 'PACS points not stored');
    }
  }

  probe(r: PacsProbeResult): void {
    this.write([probeLine(r)]);
    this.signals.recordProbe(r);
    this.bus.emit('pacs:probe', r);
  }

  storage(s: PacsStorageSample): void {
    this.write([storageLine(s)]);
    this.signals.recordStorage(s);
    this.bus.emit('pacs:storage', s);
  }

  stats(pacsId: string, site: string, source: string, ts: number, values: Readonly<Record<string, number>>): void {
    const line = statsLine(pacsId, site, source, ts, values);
    if (line) this.write([line]);
  }

  /** Recomputes the derived signals of every known PACS now, stores and publishes them. */
  computeNow(now = Date.now()): PacsDerived[] {
    const out: PacsDerived[] = [];
    for (const id of this.signals.pacsIds()) {
      const d = this.signals.compute(id, now);
      if (!d) continue;
      this.latest.set(id, d);
      this.write(derivedLines(d));
      this.bus.emit('pacs:derived', d);
      out.push(d);
    }
    return out;
  }

  snapshot(): PacsDerived[] { return [...this.latest.values()]; }

  start(): void {
    this.timer = setInterval(() => {
      try { this.computeNow(); } catch (err) { this.log.error({ err }, 'PACS derived signals failed'); }
    }, this.opts.derivedIntervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
