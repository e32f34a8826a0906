import type { StateInterval, TimelineState } from '../../../contracts/downtime.js';
import { formatDateTime, formatDuration } from '../lib/format.js';
import { timelineSegments } from '../lib/markers.js';

const LABEL: Record<TimelineState, string> = { up: 'up', degraded: 'degraded', down: 'down (unplanned)', maintenance: 'maintenance (planned)', unknown: 'no data' };

export interface StatusTimelineProps {
  intervals: readonly StateInterval[] | undefined;
  from: number;
  to: number;
  /** Where the charts' time axis ends (past `to` when a forecast is drawn), so the bar lines up with them. */
  axisEnd?: number;
  error?: string | undefined;
}

/** A bar of the scanner's state over the chart's range, with a legend; each segment names its state and times. */
export function StatusTimeline({ intervals, from, to, axisEnd = to, error }: StatusTimelineProps) {
  if (error) return <p className="muted" data-testid="status-timeline-error">Status timeline unavailable: {error}</p>;
  if (!intervals) return <p className="muted">Loading the status timeline…</p>;
  const segments = timelineSegments(intervals, from, to);
  const seen = new Set(segments.map((s) => s.state));
  return (
    <div className="status-timeline" data-testid="status-timeline">
      <div className="status-bar" style={{ width: `${(100 * (to - from)) / Math.max(1, axisEnd - from)}%` }} role="img" aria-label={`State over the range: ${segments.map((s) => `${LABEL[s.state]} ${formatDuration(s.end - s.start)}`).join(', ')}`}>
        {segments.map((s) => (
          <span key={s.start} className={`seg ${s.state}`} style={{ flexGrow: s.share }} data-state={s.state}
            title={`${LABEL[s.state]}: ${formatDateTime(s.start)} – ${formatDateTime(s.end)} (${formatDuration(s.end - s.start)})${s.reason ? ` — ${s.reason}` : ''}`} />
        ))}
      </div>
      <ul className="legend">
        {(['up', 'degraded', 'down', 'maintenance', 'unknown'] as const).filter((st) => seen.has(st)).map((st) => (
          <li key={st}><span className={`swatch ${st}`} />{LABEL[st]}</li>
        ))}
      </ul>
    </div>
  );
}
