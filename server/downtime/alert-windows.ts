// The alert engine's two contributions to a scanner's timeline: planned maintenance windows (expanded from
// their RRULE / cron / one-off definitions for the asked range) and no-data episodes (from the stored
// alert events of `nodata` rules). Both are read on every report, so a window added today also marks its
// past occurrences as planned: the windows describe the service schedule, not when someone typed them in.
import { Value } from '@sinclair/typebox/value';
import { Alert } from '../../contracts/alerts.js';
import type { MaintenanceWindow } from '../../contracts/alert-silences.js';
import { occurrencesBetween } from '../alerts/suppression.js';
import type { InfluxStore } from '../storage/influx.js';
import type { WindowSource, WindowTarget } from './sources.js';
import type { Window } from './timeline.js';

function push(map: Map<string, Window[]>, id: string, w: Window): void {
  const list = map.get(id);
  if (list) list.push(w);
  else map.set(id, [w]);
}

/** Maintenance windows from the alert engine's current definitions; a site-wide window applies to each of its scanners. */
export function maintenanceWindows(windows: () => Iterable<MaintenanceWindow>): WindowSource {
  return async (scope, targets) => {
    const out = new Map<string, Window[]>();
    for (const w of windows()) {
      const applies = targets.filter((t) => (!w.scannerId || w.scannerId === t.scannerId) && (!w.site || w.site === t.site));
      if (applies.length === 0) continue;
      const reason = w.comment ? { reason: w.comment } : {};
      for (const o of occurrencesBetween(w, scope.from, scope.to)) {
        for (const t of applies) push(out, t.scannerId, { ...o, ...reason });
      }
    }
    return out;
  };
}

const OPEN: readonly string[] = ['firing', 'acknowledged'];

/**
 * No-data episodes: from the condition's start (`startsAt`, when data was last expected) to its `endsAt`, or
 * to the end of the range while it is still open. Pending episodes never fired, so they do not count.
 * @param lookbackMs how far before `from` to look for an episode still open at `from`.
 */
export function noDataWindows(query: InfluxStore['query'], lookbackMs: number, maxEvents = 50_000): WindowSource {
  return async (scope, targets: readonly WindowTarget[]) => {
    const wanted = new Set(targets.map((t) => t.scannerId));
    if (wanted.size === 0) return new Map();
    const [series = []] = await query(
      `SELECT "json" FROM "alert_event" WHERE time >= ${scope.from - lookbackMs}ms AND time < ${scope.to}ms ORDER BY time ASC LIMIT ${maxEvents}`);
    const episodes = new Map<string, { scannerId: string; start: number; end: number | undefined; fired: boolean; reason: string }>();
    for (const s of series) {
      const col = s.columns.indexOf('json');
      for (const row of s.values) {
        const raw = row[col];
        if (typeof raw !== 'string' || !raw.includes('"nodata"')) continue;
        let a: unknown;
        try { a = JSON.parse(raw); } catch { continue; }
        if (!Value.Check(Alert, a) || a.kind !== 'nodata' || !wanted.has(a.scannerId)) continue;
        const key = `${a.id}\u0000${a.startsAt}`;
        const e = episodes.get(key) ?? { scannerId: a.scannerId, start: a.startsAt, end: undefined, fired: false, reason: a.title ?? a.message };
        if (OPEN.includes(a.state)) e.fired = true;
        if (a.state === 'resolved') e.end = a.endsAt ?? a.updatedAt ?? scope.to;
        episodes.set(key, e);
      }
    }
    const out = new Map<string, Window[]>();
    for (const e of episodes.values()) {
      if (!e.fired) continue;
      const end = e.end ?? scope.to;
      if (end <= scope.from || e.start >= scope.to) continue;
      push(out, e.scannerId, { start: e.start, end, reason: e.reason });
    }
    return out;
  };
}
