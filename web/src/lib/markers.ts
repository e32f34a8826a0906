// What the scanner page marks on its time axis and draws in its status bar, from the alert history, the
// resolved state timeline and one-off maintenance windows. Pure, so unit-tested.
import type { Alert } from '../../../contracts/alerts.js';
import type { MaintenanceWindow } from '../../../contracts/alert-silences.js';
import type { StateInterval, TimelineState } from '../../../contracts/downtime.js';

export interface Span { start: number; end: number; label: string }
export interface AlertMarker { ts: number; id: string; severity: Alert['severity']; message: string }
export interface TimelineSegment { start: number; end: number; state: TimelineState; share: number; reason?: string }

/** Planned downtime in [from, to): maintenance on the state timeline, and one-off windows for this scanner or its site. */
export function maintenanceSpans(intervals: readonly StateInterval[], windows: readonly MaintenanceWindow[], scanner: { scannerId: string; site: string }, from: number, to: number): Span[] {
  const spans: Span[] = [];
  for (const iv of intervals) {
    if (iv.state === 'maintenance') spans.push({ start: iv.start, end: iv.end, label: iv.reason ? `maintenance: ${iv.reason}` : 'maintenance' });
  }
  for (const w of windows) {
    // Recurring windows (rrule / cron) are expanded by the alert engine; the chart marks one-off windows.
    if (w.startsAt === undefined || w.rrule || w.cron) continue;
    if (w.scannerId ? w.scannerId !== scanner.scannerId : w.site ? w.site !== scanner.site : false) continue;
    spans.push({ start: w.startsAt, end: w.startsAt + w.durationMs, label: w.comment ? `maintenance window: ${w.comment}` : 'maintenance window' });
  }
  return spans
    .filter((s) => s.end > from && s.start < to)
    .map((s) => ({ ...s, start: Math.max(s.start, from), end: Math.min(s.end, to) }))
    .sort((a, b) => a.start - b.start);
}

/** Where alerts started inside the range, oldest first. */
export function alertMarkers(alerts: readonly Alert[], from: number, to: number): AlertMarker[] {
  return alerts.filter((a) => a.startsAt >= from && a.startsAt <= to)
    .map((a) => ({ ts: a.startsAt, id: a.id, severity: a.severity, message: a.message }))
    .sort((a, b) => a.ts - b.ts);
}

/** The timeline clipped to [from, to), each segment with its share of the range; the uncovered rest is unknown. */
export function timelineSegments(intervals: readonly StateInterval[], from: number, to: number): TimelineSegment[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const out: TimelineSegment[] = [];
  let cursor = from;
  const push = (start: number, end: number, state: TimelineState, reason?: string) => {
    if (end <= start) return;
    const last = out[out.length - 1];
    if (last && last.state === state && last.end === start && last.reason === reason) { last.end = end; last.share = (last.end - last.start) / span; return; }
    out.push({ start, end, state, share: (end - start) / span, ...(reason ? { reason } : {}) });
  };
  for (const iv of [...intervals].sort((a, b) => a.start - b.start)) {
    const start = Math.max(iv.start, from, cursor), end = Math.min(iv.end, to);
    if (end <= start) continue;
    push(cursor, start, 'unknown');
    push(start, end, iv.state, iv.reason);
    cursor = end;
  }
  push(cursor, to, 'unknown');
  return out;
}
