// Downtime analytics over stored history: resolves each scanner's timeline from its inputs and builds the
// report. Recomputed on every request, so a late status message is reflected the next time anyone asks.
import type { Modality } from '../../contracts/common.js';
import type { DowntimeQuery, DowntimeReport, ScannerTimeline, TimelineQuery } from '../../contracts/downtime.js';
import { buildReport, UNKNOWN_VENDOR, type ScannerHistory } from './report.js';
import { noWindows, type Scope, type StatusHistorySource, type WindowSource } from './sources.js';
import { computeTimeline } from './timeline.js';
import { DAY } from '../../contracts/units.js';
import { HttpError } from '../lib/http-error.js';

export interface DowntimeSettings {
  costPerHourUsd: Readonly<Record<Modality, number>>;
  defaultRangeDays: number;
  staleAfterMs: number;
  maxRangeDays: number;
}

export interface DowntimeDeps {
  status: StatusHistorySource;
  maintenance?: WindowSource;
  noData?: WindowSource;
  /** Vendor from a fleet registry; wins over a vendor tag on the stored status. */
  vendorOf?: (scannerId: string) => string | undefined;
  now?: () => number;
}


export class BadRequestError extends HttpError {
  constructor(message: string) { super(400, message); }
}

/** Epoch ms or an RFC 3339 / plain date string. */
export function parseTime(v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw new BadRequestError(`"${v}" is not a time`);
  return n;
}

export class DowntimeService {
  private readonly now: () => number;

  constructor(private readonly deps: DowntimeDeps, private readonly settings: DowntimeSettings) {
    this.now = deps.now ?? Date.now;
  }

  private range(q: { from?: string; to?: string }): { from: number; to: number } {
    const to = parseTime(q.to, this.now());
    const from = parseTime(q.from, to - this.settings.defaultRangeDays * DAY);
    if (!(to > from)) throw new BadRequestError('"from" must be before "to"');
    if (to - from > this.settings.maxRangeDays * DAY) throw new BadRequestError(`the range may span at most ${this.settings.maxRangeDays} days`);
    return { from, to };
  }

  /** Timelines of every scanner in scope; each starts at its earliest known record so episodes carried into the range are recognised. */
  async histories(scope: Scope): Promise<ScannerHistory[]> {
    const rows = await this.deps.status.statusHistory(scope);
    const targets = rows.map((r) => ({ scannerId: r.scannerId, site: r.site }));
    const [maintenance, noData] = await Promise.all([
      (this.deps.maintenance ?? noWindows)(scope, targets),
      (this.deps.noData ?? noWindows)(scope, targets),
    ]);
    return rows.map((r) => {
      const earliest = r.records.reduce((m, x) => Math.min(m, x.ts), scope.from);
      const intervals = computeTimeline({
        from: earliest, to: scope.to, status: r.records,
        maintenance: maintenance.get(r.scannerId) ?? [], noData: noData.get(r.scannerId) ?? [],
        staleAfterMs: this.settings.staleAfterMs,
      });
      const vendor = this.deps.vendorOf?.(r.scannerId) ?? r.vendor;
      return { scannerId: r.scannerId, site: r.site, modality: r.modality, ...(vendor ? { vendor } : {}), intervals };
    });
  }

  /** `visible` limits the report to the sites a site-scoped caller may see. */
  async report(q: DowntimeQuery, visible: (site: string) => boolean = () => true): Promise<DowntimeReport> {
    const { from, to } = this.range(q);
    const scope: Scope = { from, to, ...pick(q) };
    // Vendor may come from the registry rather than the stored tags, so it is filtered here, not in the query.
    const histories = (await this.histories(scope)).filter((h) => visible(h.site) && (!q.vendor || (h.vendor ?? UNKNOWN_VENDOR) === q.vendor));
    return buildReport(histories, { from, to, groupBy: q.groupBy ?? 'scanner', top: q.top ?? 5, costPerHourUsd: this.settings.costPerHourUsd });
  }

  async timeline(q: TimelineQuery): Promise<ScannerTimeline | undefined> {
    const { from, to } = this.range(q);
    const [h] = await this.histories({ from, to, scannerId: q.scannerId });
    if (!h) return undefined;
    const intervals = h.intervals
      .filter((iv) => iv.end > from)
      .map((iv) => ({ ...iv, start: Math.max(iv.start, from) }));
    return { scannerId: h.scannerId, site: h.site, modality: h.modality, ...(h.vendor ? { vendor: h.vendor } : {}), from, to, intervals };
  }
}

function pick(q: DowntimeQuery): Omit<Scope, 'from' | 'to'> {
  return {
    ...(q.site ? { site: q.site } : {}),
    ...(q.modality ? { modality: q.modality } : {}),
    ...(q.scannerId ? { scannerId: q.scannerId } : {}),
  };
}
