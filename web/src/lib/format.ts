// Formatting shared by every page. Date formatters are built once: `toLocaleTimeString(…, options)` builds
// a new Intl formatter per call, which with 500 live tiles was a third of the page's script time.
/** Formats a metric value with its unit; a missing value shows as a dash, never as "undefined" or NaN. */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'bool') return value >= 0.5 ? 'on' : 'off';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const shortDateTimeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Local wall-clock time of the user's time zone, with seconds (live data changes every second). */
export function formatTime(ts: number): string {
  return timeFormat.format(ts);
}

export function formatDateTime(ts: number): string {
  return dateTimeFormat.format(ts);
}


/** Day and time without seconds or year, for axis ticks of multi-day ranges. */
export function formatShortDateTime(ts: number): string {
  return shortDateTimeFormat.format(ts);
}

/** Durations are worded in one place for the web, alert messages and forecasts. */
export { formatDuration } from '../../../contracts/units.js';

const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30].map((m) => m * 60_000)
  .concat([1, 2, 3, 6, 12].map((h) => h * 3_600_000), [1, 2, 7, 14, 30, 90].map((d) => d * 86_400_000));

/**
 * Evenly spaced time-axis ticks on round boundaries (every 5 min, 6 h, 7 d, …), at most `count`. Charts
 * pass them explicitly: left to itself, a time axis puts ticks only where there is data.
 */
export function timeTicks(from: number, to: number, count = 6): number[] {
  if (!(to > from)) return [];
  const step = TICK_STEPS_MS.find((s) => (to - from) / s <= count) ?? Math.ceil((to - from) / count / 86_400_000) * 86_400_000;
  // Round to the step in local time, so hours and days tick on the user's wall clock.
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const out: number[] = [];
  for (let t = Math.ceil((from - offset) / step) * step + offset; t <= to; t += step) out.push(t);
  return out;
}
