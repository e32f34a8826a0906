// Downtime figures from state timelines: per scanner tallies that add up over any grouping and any period,
// turned into availability, MTBF, MTTR and cost only at the end (so a group's MTBF is pooled, not an average
// of averages). Definitions are in docs/downtime.md and contracts/downtime.ts.
import type { DowntimeFigures, TimelineState, StateInterval } from '../../contracts/downtime.js';
import { HOUR } from '../../contracts/units.js';


export interface Tally {
  scanners: number;
  rangeMs: number;
  ms: Record<TimelineState, number>;
  failures: number;
  /** In-range down time of the failures counted (MTTR numerator). */
  failureMs: number;
  costUsd: number;
  plannedCostUsd: number;
}

export function emptyTally(): Tally {
  return { scanners: 0, rangeMs: 0, ms: { up: 0, degraded: 0, down: 0, maintenance: 0, unknown: 0 }, failures: 0, failureMs: 0, costUsd: 0, plannedCostUsd: 0 };
}

export function addTally(into: Tally, t: Tally): Tally {
  into.scanners += t.scanners;
  into.rangeMs += t.rangeMs;
  for (const k of Object.keys(into.ms) as TimelineState[]) into.ms[k] += t.ms[k];
  into.failures += t.failures;
  into.failureMs += t.failureMs;
  into.costUsd += t.costUsd;
  into.plannedCostUsd += t.plannedCostUsd;
  return into;
}

/**
 * A failure is one unplanned-down episode: consecutive down intervals, also when separated only by unknown
 * time (no evidence the scanner came back in between). It counts in the range where its first down instant
 * lies; its in-range down time feeds MTTR. `intervals` may start before `from` so an episode carried into
 * the range is recognised as such and not counted again.
 */
export function tallyScanner(intervals: readonly StateInterval[], from: number, to: number, costPerHourUsd: number): Tally {
  const t = emptyTally();
  t.scanners = 1;
  t.rangeMs = Math.max(0, to - from);
  let covered = 0;
  let episodeCounted = false; // the episode in progress began inside [from, to)
  let inEpisode = false;
  for (const iv of intervals) {
    const a = Math.max(iv.start, from);
    const b = Math.min(iv.end, to);
    const inRange = Math.max(0, b - a);
    t.ms[iv.state] += inRange;
    covered += inRange;
    if (iv.state === 'down') {
      if (!inEpisode) {
        inEpisode = true;
        episodeCounted = iv.start >= from && iv.start < to;
        if (episodeCounted) t.failures++;
      }
      if (episodeCounted) t.failureMs += inRange;
    } else if (iv.state !== 'unknown') {
      inEpisode = false;
    }
  }
  // Parts of the range no interval covers are unknown by definition.
  t.ms.unknown += Math.max(0, t.rangeMs - covered);
  t.costUsd = (t.ms.down / HOUR) * costPerHourUsd;
  t.plannedCostUsd = (t.ms.maintenance / HOUR) * costPerHourUsd;
  return t;
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

export function figures(t: Tally): DowntimeFigures {
  const operating = t.ms.up + t.ms.degraded;
  const known = t.rangeMs - t.ms.unknown;
  return {
    scanners: t.scanners,
    rangeHours: round(t.rangeMs / HOUR),
    upHours: round(t.ms.up / HOUR),
    degradedHours: round(t.ms.degraded / HOUR),
    unplannedDowntimeHours: round(t.ms.down / HOUR),
    plannedDowntimeHours: round(t.ms.maintenance / HOUR),
    unknownHours: round(t.ms.unknown / HOUR),
    availabilityPct: operating + t.ms.down > 0 ? round((100 * operating) / (operating + t.ms.down)) : null,
    dataCoveragePct: t.rangeMs > 0 ? round((100 * known) / t.rangeMs) : 0,
    failures: t.failures,
    mtbfHours: t.failures > 0 ? round(operating / HOUR / t.failures) : null,
    mttrHours: t.failures > 0 ? round(t.failureMs / HOUR / t.failures) : null,
    costUsd: round(t.costUsd, 2),
    plannedCostUsd: round(t.plannedCostUsd, 2),
  };
}
