// Time units and the one way Gantry says a duration to a person. Every timestamp and duration inside Gantry
// is in epoch milliseconds (InfluxDB precision ms, JavaScript Date); these constants name the multiples so
// no file writes 86_400_000 again, and the web, alert messages and forecasts all word durations alike.
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

/** At most one decimal, none when it is .0: 5.5, 12, 3.2. */
const short = (v: number): string => (Math.abs(v) >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));

/**
 * A duration the way a person says it: "350 ms", "45 s", "12 min", "5 h", "5.5 h", "3.2 d". Each unit is used up
 * to 1.5× the next one (90 s, 90 min) and hours up to two days, so "36 h" reads better than "1.5 d".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const v = Math.max(0, ms);
  if (v === 0) return '0 s';
  if (v < SECOND) return `${Math.round(v)} ms`;
  if (v < 90 * SECOND) return `${Math.round(v / SECOND)} s`;
  if (v < 90 * MINUTE) return `${Math.round(v / MINUTE)} min`;
  if (v < 2 * DAY) return `${short(v / HOUR)} h`;
  return `${short(v / DAY)} d`;
}
