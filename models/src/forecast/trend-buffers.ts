// Recent history of one metric for time-to-threshold forecasts, at two resolutions: a fine buffer (the last
// minutes, for a fault that runs its course within the hour) and a coarse one (the last days, for a slow leak
// or drift). A forecast is reported only when it is confident, the rule eval:fleet measured:
//   - the whole confidence band lies inside the horizon (a slope that is only marginally significant, e.g. a
//     daily cycle seen in part, has a band reaching months);
//   - it extrapolates at most `maxExtrapolation` times the span of the data it was fitted on (a few seconds
//     of noise must not become "limit in 4 minutes"), and that span is at least `minSpanMs` (the ramp at the
//     start of an exam is not a trend).
import { forecastTimeToThreshold, type ThresholdForecast, type TimedSample } from './time-to-threshold.js';
import { DAY } from '../../../contracts/units.js';


export interface TrendPolicy {
  /** Minimum time between samples kept in the fine buffer. */
  fineStepMs: number;
  /** Minimum time between samples kept in the coarse buffer (window / capacity). */
  coarseStepMs: number;
  /** Samples per buffer. */
  capacity: number;
  /**
   * Longest span the fine buffer keeps (absent: only `capacity` bounds it). Without it the fine buffer's span
   * depends on the sampling interval: 720 samples are 2 h at 10 s but a whole day at 120 s.
   */
  fineSpanMs?: number;
  horizonMs: number;
  maxExtrapolation: number;
  minSamples: number;
  /** Shortest span of data a forecast may be fitted on. */
  minSpanMs: number;
  /**
   * False for a metric that follows exam load (power, tube and coil temperatures): its ramps within the
   * hour are exams, so only the coarse buffer may forecast it (which needs a whole day of data, the daily
   * exam cycle seen whole, as for every metric).
   */
  fine?: boolean;
}

class Buffer {
  readonly samples: TimedSample[] = [];
  constructor(private readonly stepMs: number, private readonly capacity: number, private readonly maxSpanMs = Infinity) {}
  push(s: TimedSample): void {
    const last = this.samples[this.samples.length - 1];
    if (last && s.t - last.t < this.stepMs) return;
    this.samples.push(s);
    let drop = Math.max(0, this.samples.length - this.capacity);
    while (drop < this.samples.length - 1 && s.t - this.samples[drop]!.t > this.maxSpanMs) drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }
  get spanMs(): number { return this.samples.length > 1 ? this.samples[this.samples.length - 1]!.t - this.samples[0]!.t : 0; }
}

export class TrendBuffers {
  private readonly fine: Buffer;
  private readonly coarse: Buffer;

  constructor(private readonly policy: TrendPolicy) {
    this.fine = new Buffer(policy.fineStepMs, policy.capacity, policy.fineSpanMs);
    this.coarse = new Buffer(policy.coarseStepMs, policy.capacity);
  }

  push(t: number, value: number): void {
    if (!Number.isFinite(value)) return;
    this.fine.push({ t, value });
    this.coarse.push({ t, value });
  }

  /** The confident forecast of the fine buffer, else of the coarse one, else null. */
  forecast(limit: number, direction: 'above' | 'below', nowMs: number): ThresholdForecast | null {
    const p = this.policy;
    for (const b of p.fine === false ? [this.coarse] : [this.fine, this.coarse]) {
      // The coarse buffer is for slow leaks and drift: it forecasts only once it spans a whole day, so a
      // daily cycle seen in part (room temperature and humidity in the hours after a start) is not a trend.
      const minSpan = b === this.coarse ? Math.max(p.minSpanMs, DAY) : p.minSpanMs;
      if (b.samples.length < p.minSamples || b.spanMs < minSpan) continue;
      const f = forecastTimeToThreshold(b.samples, { limit, direction, nowMs, minSamples: p.minSamples, maxHorizonMs: p.horizonMs });
      if (f && f.highMs <= p.horizonMs && f.etaMs <= p.maxExtrapolation * b.spanMs) return f;
    }
    return null;
  }
}
