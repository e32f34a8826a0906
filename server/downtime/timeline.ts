// A scanner's state timeline from its three inputs: the status messages it sent, the intervals with no data
// (no-data alerts) and the planned maintenance windows. Pure, so late or out-of-order messages are handled
// by recomputing from the stored history: the order of arrival never matters, only each record's own time.
//
// Precedence at any instant (docs/downtime.md):
//   1. inside a maintenance window            -> maintenance (planned, even if the scanner reports down)
//   2. last status says down                  -> down (unplanned; a dead scanner may well send no data)
//   3. last status says maintenance           -> maintenance (service mode, planned)
//   4. inside a no-data interval              -> unknown (we cannot claim up or degraded without data)
//   5. last status says degraded / up         -> degraded / up
//   6. no status yet, or the last one is older than staleAfterMs -> unknown
import type { ReportedState, TimelineState, StateInterval, StateSource } from '../../contracts/downtime.js';

export interface StatusRecord {
  ts: number;
  state: ReportedState;
  reason?: string;
  /** When Gantry received it; breaks ties between records with the same ts (the later arrival wins). */
  receivedAt?: number;
}

export interface Window { start: number; end: number; reason?: string }

export interface TimelineInput {
  from: number;
  to: number;
  /** Any order; include the last record before `from` so the state at `from` is known. */
  status: readonly StatusRecord[];
  maintenance?: readonly Window[];
  noData?: readonly Window[];
  /** A status with no newer one stops counting after this long (0 = holds until the next record). */
  staleAfterMs?: number;
}

// Same-ts records without arrival times resolve to the more severe one, so the result never depends on order.
const SEVERITY: Record<ReportedState, number> = { up: 0, degraded: 1, maintenance: 2, down: 3 };

/** Sorts by event time and keeps one record per timestamp. */
export function orderStatus(records: readonly StatusRecord[]): StatusRecord[] {
  const sorted = [...records].sort((a, b) =>
    a.ts - b.ts || (a.receivedAt ?? 0) - (b.receivedAt ?? 0) || SEVERITY[a.state] - SEVERITY[b.state]);
  const out: StatusRecord[] = [];
  for (const r of sorted) {
    if (out.length > 0 && out[out.length - 1]?.ts === r.ts) out[out.length - 1] = r;
    else out.push(r);
  }
  return out;
}

interface Resolved { state: TimelineState; source: StateSource; reason?: string }

function resolve(status: StatusRecord | undefined, maint: Window | undefined, noData: Window | undefined): Resolved {
  if (maint) return { state: 'maintenance', source: 'maintenance-window', ...(maint.reason ? { reason: maint.reason } : {}) };
  const reason = status?.reason ? { reason: status.reason } : {};
  if (status?.state === 'down') return { state: 'down', source: 'status', ...reason };
  if (status?.state === 'maintenance') return { state: 'maintenance', source: 'status', ...reason };
  if (noData) return { state: 'unknown', source: 'no-data', ...(noData.reason ? { reason: noData.reason } : {}) };
  if (status) return { state: status.state, source: 'status', ...reason };
  return { state: 'unknown', source: 'none' };
}

/** The window covering [a, b) if any (windows are few per scanner, so a scan is cheap and handles overlaps). */
function covering(windows: readonly Window[], a: number, b: number): Window | undefined {
  return windows.find((w) => w.start <= a && w.end >= b);
}

export function computeTimeline(input: TimelineInput): StateInterval[] {
  const { from, to } = input;
  if (!(to > from)) return [];
  const stale = input.staleAfterMs ?? 0;
  const status = orderStatus(input.status.filter((r) => r.ts < to));
  const maintenance = (input.maintenance ?? []).filter((w) => w.end > from && w.start < to && w.end > w.start);
  const noData = (input.noData ?? []).filter((w) => w.end > from && w.start < to && w.end > w.start);

  // Every instant where any input can change: the resolved state is constant between two of them.
  const cuts = new Set<number>([from, to]);
  for (const [i, r] of status.entries()) {
    if (r.ts > from) cuts.add(r.ts);
    const next = status[i + 1];
    if (stale > 0 && r.ts + stale > from && r.ts + stale < to && (!next || next.ts > r.ts + stale)) cuts.add(r.ts + stale);
  }
  for (const w of [...maintenance, ...noData]) {
    if (w.start > from) cuts.add(w.start);
    if (w.end < to) cuts.add(w.end);
  }
  const points = [...cuts].filter((t) => t >= from && t <= to).sort((a, b) => a - b);

  const out: StateInterval[] = [];
  let si = -1; // index of the last status record at or before the segment start
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k] as number;
    const b = points[k + 1] as number;
    while (si + 1 < status.length && (status[si + 1] as StatusRecord).ts <= a) si++;
    let current = si >= 0 ? status[si] : undefined;
    if (current && stale > 0 && a >= current.ts + stale) current = undefined;
    const r = resolve(current, covering(maintenance, a, b), covering(noData, a, b));
    const last = out[out.length - 1];
    if (last && last.end === a && last.state === r.state && last.source === r.source && last.reason === r.reason) {
      last.end = b;
    } else {
      out.push({ start: a, end: b, ...r });
    }
  }
  return out;
}
