// Time-to-failure badges and forecast geometry from the models' time-to-threshold predictions. A prediction
// names the metric and the time until it crosses its critical limit (with an interval); which limit it
// heads for comes from the catalog (the one on the side the value is drifting to). Pure, so unit-tested.
import type { Prediction } from '../../../contracts/alert-signals.js';
import type { TelemetryReading } from '../../../contracts/telemetry.js';
import { findMetric, type MetricDefinition } from '../../../contracts/metric-catalog.js';
import { formatDuration } from './format.js';

export interface LimitTarget { limit: number; direction: 'above' | 'below' }

/** The critical limit a metric is heading for: its only one, or with both, the one on the value's side of normal. */
export function limitFor(metric: MetricDefinition, value: number | undefined): LimitTarget | undefined {
  const low = metric.critical?.low, high = metric.critical?.high;
  if (low !== undefined && high !== undefined) {
    const mid = (metric.normal[0] + metric.normal[1]) / 2;
    return value !== undefined && value < mid ? { limit: low, direction: 'below' } : { limit: high, direction: 'above' };
  }
  if (low !== undefined) return { limit: low, direction: 'below' };
  if (high !== undefined) return { limit: high, direction: 'above' };
  return undefined;
}

export interface TimeToFailure extends LimitTarget {
  metric: MetricDefinition;
  /** From `now`, counting down since the forecast was made. */
  remainingMs: number;
  earliestMs?: number;
  latestMs?: number;
  /** Short text for a badge, e.g. "Helium level < 50 % in 3.2 d". */
  text: string;
  /** Longer text with the interval, for a tooltip. */
  detail: string;
}

export function timeToFailure(p: Prediction, reading: TelemetryReading | undefined, now: number): TimeToFailure | undefined {
  if (p.etaMs === null) return undefined;
  const modality = reading?.modality ?? p.modality;
  const metric = findMetric(modality, p.metric);
  if (!metric) return undefined;
  const target = limitFor(metric, reading?.metrics[p.metric]);
  if (!target) return undefined;
  const elapsed = Math.max(0, now - p.ts);
  const remainingMs = Math.max(0, p.etaMs - elapsed);
  const earliestMs = p.low !== undefined ? Math.max(0, p.low - elapsed) : undefined;
  const latestMs = p.high !== undefined ? Math.max(0, p.high - elapsed) : undefined;
  const unit = metric.unit === 'count' ? '' : ` ${metric.unit}`;
  // Past the limit (a forecast of 0), or the countdown ran out before the next forecast: "now".
  const when = remainingMs > 0 ? `in ${formatDuration(remainingMs)}` : 'now';
  const text = `${metric.label} ${target.direction === 'below' ? '<' : '>'} ${target.limit}${unit} ${when}`;
  const interval = earliestMs !== undefined && latestMs !== undefined ? ` (likely between ${formatDuration(earliestMs)} and ${formatDuration(latestMs)})` : '';
  const detail = remainingMs > 0
    ? `Forecast: ${metric.label.toLowerCase()} crosses its critical limit ${target.limit}${unit} in ${formatDuration(remainingMs)}${interval}`
    : `${metric.label} is at or past its critical limit ${target.limit}${unit}`;
  return { ...target, metric, remainingMs, ...(earliestMs !== undefined ? { earliestMs } : {}), ...(latestMs !== undefined ? { latestMs } : {}), text, detail };
}

/** The soonest crossing among a scanner's forecasts; `others` counts the rest. */
export function soonestTimeToFailure(predictions: ReadonlyMap<string, Prediction> | undefined, reading: TelemetryReading | undefined, now: number): (TimeToFailure & { others: number }) | undefined {
  if (!predictions) return undefined;
  let best: TimeToFailure | undefined;
  let count = 0;
  for (const p of predictions.values()) {
    const t = timeToFailure(p, reading, now);
    if (!t) continue;
    count++;
    if (!best || t.remainingMs < best.remainingMs) best = t;
  }
  return best ? { ...best, others: count - 1 } : undefined;
}

export interface ForecastPoint { ts: number; forecast: number; forecastBand: [number, number] }

/**
 * Straight lines from the current value to the limit: the expected crossing (forecast) and, between the
 * early and late crossings, the band. Drawn up to the crossing or `untilTs`, whichever comes first.
 */
export function forecastPoints(startTs: number, startValue: number, t: TimeToFailure, untilTs: number, steps = 24): ForecastPoint[] {
  const end = Math.min(startTs + Math.max(t.remainingMs, t.latestMs ?? 0), untilTs);
  if (!(end > startTs)) return [];
  const along = (ms: number | undefined, dt: number) => {
    if (ms === undefined) return startValue + (t.limit - startValue) * Math.min(1, dt / Math.max(1, t.remainingMs));
    return startValue + (t.limit - startValue) * Math.min(1, dt / Math.max(1, ms));
  };
  const out: ForecastPoint[] = [];
  for (let i = 0; i <= steps; i++) {
    const ts = startTs + ((end - startTs) * i) / steps;
    const dt = ts - startTs;
    const a = along(t.earliestMs ?? t.remainingMs, dt), b = along(t.latestMs ?? t.remainingMs, dt);
    out.push({ ts, forecast: along(undefined, dt), forecastBand: [Math.min(a, b), Math.max(a, b)] });
  }
  return out;
}
