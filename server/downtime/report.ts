// The managers' downtime report: groups, weekly and monthly trends and top offenders from per-scanner
// timelines. Pure; server/downtime/service.ts feeds it from storage.
import type { DowntimeGroup, DowntimePeriod, DowntimeReport, DowntimeGroupBy, StateInterval } from '../../contracts/downtime.js';
import type { Modality } from '../../contracts/common.js';
import { addTally, emptyTally, figures, tallyScanner, type Tally } from './metrics.js';
import { DAY } from '../../contracts/units.js';

export interface ScannerHistory {
  scannerId: string;
  site: string;
  modality: Modality;
  vendor?: string;
  /** May begin before the report's `from` (see tallyScanner). */
  intervals: StateInterval[];
}

export interface ReportOptions {
  from: number;
  to: number;
  groupBy: DowntimeGroupBy;
  top: number;
  costPerHourUsd: Readonly<Record<Modality, number>>;
}

export const UNKNOWN_VENDOR = 'unknown';

function groupKey(s: ScannerHistory, by: DowntimeGroupBy): string {
  switch (by) {
    case 'scanner': return s.scannerId;
    case 'site': return s.site;
    case 'modality': return s.modality;
    case 'vendor': return s.vendor ?? UNKNOWN_VENDOR;
    case 'fleet': return 'fleet';
  }
}

/** ISO 8601 week label (UTC) of the week that starts at `mondayMs`. */
function isoWeekLabel(mondayMs: number): string {
  const thursday = new Date(mondayMs + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface Period { label: string; start: number; end: number }

/** Calendar weeks (Monday 00:00 UTC) and months (UTC) overlapping [from, to), clipped to it. */
export function periods(from: number, to: number, kind: 'week' | 'month'): Period[] {
  const out: Period[] = [];
  const d = new Date(from);
  let start = kind === 'week'
    ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY
    : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  while (start < to) {
    const s = new Date(start);
    const end = kind === 'week' ? start + 7 * DAY : Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1);
    const label = kind === 'week' ? isoWeekLabel(start) : `${s.getUTCFullYear()}-${String(s.getUTCMonth() + 1).padStart(2, '0')}`;
    out.push({ label, start: Math.max(start, from), end: Math.min(end, to) });
    start = end;
  }
  return out;
}

function trend(scanners: readonly ScannerHistory[], ps: Period[], rates: ReportOptions['costPerHourUsd']): DowntimePeriod[] {
  return ps.map((p) => {
    const t = emptyTally();
    for (const s of scanners) addTally(t, tallyScanner(s.intervals, p.start, p.end, rates[s.modality]));
    return { period: p.label, start: p.start, end: p.end, ...figures(t) };
  });
}

export function buildReport(scanners: readonly ScannerHistory[], opts: ReportOptions): DowntimeReport {
  const { from, to } = opts;
  const perScanner = scanners.map((s) => ({ s, t: tallyScanner(s.intervals, from, to, opts.costPerHourUsd[s.modality]) }));
  const groups = new Map<string, { sample: ScannerHistory; t: Tally; sites: Set<string>; modalities: Set<string> }>();
  const total = emptyTally();
  for (const { s, t } of perScanner) {
    addTally(total, t);
    const key = groupKey(s, opts.groupBy);
    const g = groups.get(key) ?? { sample: s, t: emptyTally(), sites: new Set<string>(), modalities: new Set<string>() };
    addTally(g.t, t);
    g.sites.add(s.site);
    g.modalities.add(s.modality);
    groups.set(key, g);
  }
  const describe = (key: string, s: ScannerHistory, sites: Set<string>, modalities: Set<string>, t: Tally): DowntimeGroup => ({
    key,
    ...(sites.size === 1 ? { site: s.site } : {}),
    ...(modalities.size === 1 ? { modality: s.modality } : {}),
    ...(opts.groupBy === 'scanner' || opts.groupBy === 'vendor' ? { vendor: s.vendor ?? UNKNOWN_VENDOR } : {}),
    ...figures(t),
  });
  const groupRows = [...groups.entries()]
    .map(([key, g]) => describe(key, g.sample, g.sites, g.modalities, g.t))
    .sort((a, b) => a.key.localeCompare(b.key));
  const topOffenders = perScanner
    .filter(({ t }) => t.ms.down > 0)
    .sort((a, b) => b.t.ms.down - a.t.ms.down || b.t.failures - a.t.failures || a.s.scannerId.localeCompare(b.s.scannerId))
    .slice(0, opts.top)
    .map(({ s, t }) => ({ key: s.scannerId, site: s.site, modality: s.modality, vendor: s.vendor ?? UNKNOWN_VENDOR, ...figures(t) }));
  return {
    from, to, groupBy: opts.groupBy, currency: 'USD',
    costPerHourUsd: { ...opts.costPerHourUsd },
    total: figures(total),
    groups: groupRows,
    weekly: trend(scanners, periods(from, to, 'week'), opts.costPerHourUsd),
    monthly: trend(scanners, periods(from, to, 'month'), opts.costPerHourUsd),
    topOffenders,
  };
}
