// Time-to-threshold forecasts for one scanner: a pair of trend buffers per metric with a critical limit,
// forecast at a fixed cadence. The live scoring worker and eval:fleet both use this class, so the forecasts
// the alert gates see offline are the ones the server publishes.
import type { MetricDefinition } from '../../../contracts/metric-catalog.js';
import { Cadence } from '../anomaly/cadence.js';
import { TrendBuffers, type TrendPolicy } from './trend-buffers.js';

export interface ForecastLimit { metric: string; limit: number; direction: 'above' | 'below'; followsLoad: boolean }

/** One published forecast: a time to the limit with its band, or null once a forecast went away. */
export interface MetricForecast { metric: string; etaMs: number | null; lowMs?: number; highMs?: number }

export interface ForecastSettings {
  forecastEveryMs: number;
  forecastSamples: number;
  trendWindowMs: number;
  fineWindowMs: number;
  maxExtrapolation: number;
  minTrendMs: number;
  horizonMs: number;
  /**
   * Forecast metrics that follow exam load (power, tube current, anode heat)? Their critical limits are
   * overloads an exam reaches in minutes, which threshold rules catch; a trend fit sees the exam cycle.
   */
  loadFollowing: boolean;
}

/** The critical limits of a modality's metrics that are worth a forecast (flags are not trends). */
export function forecastLimits(defs: readonly Pick<MetricDefinition, 'name' | 'unit' | 'critical' | 'followsLoad'>[]): ForecastLimit[] {
  const out: ForecastLimit[] = [];
  for (const m of defs) {
    if (m.unit === 'bool') continue;
    const followsLoad = m.followsLoad === true;
    if (m.critical?.low !== undefined) out.push({ metric: m.name, limit: m.critical.low, direction: 'below', followsLoad });
    if (m.critical?.high !== undefined) out.push({ metric: m.name, limit: m.critical.high, direction: 'above', followsLoad });
  }
  return out;
}

export function trendPolicy(s: ForecastSettings): TrendPolicy {
  return {
    fineStepMs: s.forecastEveryMs / 10, coarseStepMs: s.trendWindowMs / s.forecastSamples, capacity: s.forecastSamples, fineSpanMs: s.fineWindowMs,
    horizonMs: s.horizonMs, maxExtrapolation: s.maxExtrapolation, minSamples: 30, minSpanMs: s.minTrendMs,
  };
}

export class ScannerForecaster {
  /** One pair of buffers per metric, shared by its low and high limits. */
  private readonly trends = new Map<string, TrendBuffers>();
  private readonly predicted = new Set<ForecastLimit>();

  private readonly limits: readonly ForecastLimit[];
  private readonly cadence: Cadence;

  constructor(limits: readonly ForecastLimit[], settings: ForecastSettings) {
    this.cadence = new Cadence(settings.forecastEveryMs);
    const policy = trendPolicy(settings);
    this.limits = settings.loadFollowing ? limits : limits.filter((l) => !l.followsLoad);
    for (const l of this.limits) if (!this.trends.has(l.metric)) this.trends.set(l.metric, new TrendBuffers({ ...policy, fine: !l.followsLoad }));
  }

  /** Adds a reading; every `forecastEveryMs` returns the forecasts that changed state or value. */
  push(ts: number, metrics: Readonly<Record<string, number>>): MetricForecast[] {
    for (const [metric, trend] of this.trends) {
      const v = metrics[metric];
      if (v !== undefined) trend.push(ts, v);
    }
    if (!this.cadence.due(ts)) return [];
    const out: MetricForecast[] = [];
    for (const l of this.limits) {
      const f = this.trends.get(l.metric)!.forecast(l.limit, l.direction, ts);
      if (f) {
        this.predicted.add(l);
        out.push({ metric: l.metric, etaMs: f.etaMs, lowMs: f.lowMs, highMs: f.highMs });
      } else if (this.predicted.delete(l)) {
        out.push({ metric: l.metric, etaMs: null }); // the trend went away: listeners clear the prediction
      }
    }
    return out;
  }
}
