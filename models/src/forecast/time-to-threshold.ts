import { formatDuration } from '../../../contracts/units.js';
import { normalTail } from '../core/stats.js';

export interface TimedSample {
  t: number;
  value: number;
}

export interface ThresholdQuery {
  limit: number;
  /** 'above': alarm when the metric rises past the limit (tier fill, temperature); 'below': falls under it (helium). */
  direction: 'above' | 'below';
  /** Reference time for the ETA; defaults to the newest sample. */
  nowMs?: number;
  /** Two-sided confidence of the band, e.g. 0.9 gives a 5 %..95 % range. */
  confidence?: number;
  minSamples?: number;
  /**
   * No forecast until the samples span this long. A metric with a daily cycle (power, tube current)
   * looks like a trend over a few hours; a span of a day or more lets the slope test see the cycle.
   */
  minSpanMs?: number;
  /** ETAs beyond this are reported as null: a year-away crossing is not an alert. */
  maxHorizonMs?: number;
}

export interface ThresholdForecast {
  etaMs: number;
  lowMs: number;
  highMs: number;
  /** Absolute time of the expected crossing. */
  crossingAtMs: number;
  slopePerDay: number;
  current: number;
}

/** Inverse of the normal upper tail by bisection; called once per forecast, so speed is moot. */
function zFor(tail: number): number {
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalTail(mid) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Linear trend to a limit by least squares over the given (recent) samples. The band comes from the
 * slope's standard error: a steeper plausible slope gives the early bound, a shallower one the late
 * bound. Returns null when the trend does not head to the limit with the requested confidence.
 */
export function forecastTimeToThreshold(samples: TimedSample[], q: ThresholdQuery): ThresholdForecast | null {
  const pts = samples.filter((s) => Number.isFinite(s.t) && Number.isFinite(s.value));
  if (pts.length < (q.minSamples ?? 8)) return null;
  const n = pts.length;
  const span = pts[n - 1]!.t - pts[0]!.t;
  if (span < (q.minSpanMs ?? 0)) return null;
  const tMean = pts.reduce((s, p) => s + p.t, 0) / n;
  const vMean = pts.reduce((s, p) => s + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of pts) {
    sxx += (p.t - tMean) ** 2;
    sxy += (p.t - tMean) * (p.value - vMean);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = vMean - slope * tMean;
  const resid = pts.map((p) => p.value - (intercept + slope * p.t));
  const sse = resid.reduce((s, r) => s + r * r, 0);
  let lag = 0;
  for (let i = 1; i < n; i++) lag += resid[i]! * resid[i - 1]!;
  // Residuals that follow a cycle (daily load) are correlated; the AR(1) variance inflation keeps a
  // half-seen cycle from passing as a significant trend, and leaves white-noise residuals as they are.
  const rho = sse > 0 ? Math.min(0.99, Math.max(0, lag / sse)) : 0;
  const se = Math.sqrt((sse / Math.max(1, n - 2) / sxx) * ((1 + rho) / (1 - rho)));
  const now = q.nowMs ?? Math.max(...pts.map((p) => p.t));
  const current = intercept + slope * now;
  const sign = q.direction === 'above' ? 1 : -1;
  const gap = sign * (q.limit - current);
  const z = zFor((1 - (q.confidence ?? 0.9)) / 2);
  const towards = sign * slope;
  const slow = towards - z * se;
  const fast = towards + z * se;
  if (gap <= 0) return { etaMs: 0, lowMs: 0, highMs: 0, crossingAtMs: now, slopePerDay: slope * 86_400_000, current };
  if (slow <= 0) return null;
  const eta = gap / towards;
  if (eta > (q.maxHorizonMs ?? 365 * 86_400_000)) return null;
  return { etaMs: eta, lowMs: gap / fast, highMs: gap / slow, crossingAtMs: now + eta, slopePerDay: slope * 86_400_000, current };
}

/** "~9.2 d (7.1 d–12 d)": the wording predictive alerts use (durations worded by contracts/units). */
export function describeEta(f: ThresholdForecast): string {
  if (f.etaMs === 0) return 'already past the limit';
  return `~${formatDuration(f.etaMs)} (${formatDuration(f.lowMs)}–${formatDuration(f.highMs)})`;
}
