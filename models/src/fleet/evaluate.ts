import { detectorSettingsFor } from '../anomaly/catalog-settings.js';
import { StreamingAnomalyDetector, type DetectorConfig } from '../anomaly/streaming-detector.js';
import { forecastTimeToThreshold, type TimedSample } from '../forecast/time-to-threshold.js';
import type { FleetScenario, MetricLimit, MetricTraits } from './scenario.js';
import { DAY } from '../../../contracts/units.js';


export interface FleetEvalOptions {
  detector: Partial<DetectorConfig>;
  /** Predictive alert when a limit is forecast within this horizon (late bound of the band included). */
  horizonMs: number;
  /** Samples of history the trend is fitted on. */
  trendSamples: number;
  /** Forecast only once the history spans this long (see ThresholdQuery.minSpanMs). */
  trendMinSpanMs: number;
  /** Alerts closer than this to the previous one belong to the same event. */
  debounceMs: number;
  /**
   * An anomaly alerts only when the detector's anomaly rate (share of anomalous samples over its
   * rate window) also reaches this: a fault that develops keeps re-triggering, a one-off blip does not.
   * 0 alerts on every anomalous sample.
   */
  minAnomalyRate: number;
  /** Alarms in the first day are commissioning noise of untrained detectors and are not counted. */
  ignoreFirstMs: number;
}

export interface KindReport {
  kind: string;
  faults: number;
  detected: number;
  failures: number;
  medianLeadMs: number | null;
  /** Lead of every detected fault that reached failure (failure minus first alert). */
  leadsMs: number[];
  byAnomaly: number;
  byForecast: number;
}

export interface FleetReport {
  kinds: KindReport[];
  falseAlarms: number;
  falseAlarmsByForecast: number;
  /** False alarms by what raised them: 'forecast', 'model' (learned stage) or the metric the statistical stage flagged. */
  falseAlarmsByCause: Record<string, number>;
  healthyScannerDays: number;
  samples: number;
}

interface ScannerState {
  limits: MetricLimit[];
  metrics: Record<string, MetricTraits>;
  detector: StreamingAnomalyDetector | null;
  names: string[];
  trends: Map<string, TimedSample[]>;
  lastAlert: number;
  seen: number;
  firstAlert: { ts: number; source: 'anomaly' | 'forecast' } | null;
  failureMs: number | null;
  falseAlarms: number;
  falseByForecast: number;
  falseByCause: Map<string, number>;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function evaluateFleet(scenario: FleetScenario, o: FleetEvalOptions): FleetReport {
  const faultOf = new Map(scenario.faults.map((f) => [f.scannerId, f]));
  const states = new Map<string, ScannerState>(
    scenario.scanners.map((s) => [s.scannerId, { limits: s.limits, metrics: s.metrics ?? {}, detector: null, names: [], trends: new Map(), lastAlert: -Infinity, seen: 0, firstAlert: null, failureMs: null, falseAlarms: 0, falseByForecast: 0, falseByCause: new Map() }]),
  );
  let samples = 0;
  for (const sample of scenario.samples()) {
    samples++;
    const st = states.get(sample.scannerId);
    if (!st) continue;
    if (!st.detector) {
      st.names = Object.keys(sample.metrics).sort();
      st.detector = new StreamingAnomalyDetector({ ...o.detector, ...detectorSettingsFor(st.names.map((n) => st.metrics[n] ?? { unit: '' })) });
    }
    const scored = st.detector.update(st.names.map((n) => sample.metrics[n] ?? Number.NaN), sample.ts);
    const anomaly = scored.anomalous && scored.anomalyRate >= o.minAnomalyRate;
    let predicted = false;
    st.seen++;
    const fault = faultOf.get(sample.scannerId);
    // Ground truth, when given, fixes the failure time; it counts once simulated time has reached it.
    if (fault?.failureMs !== undefined && sample.ts >= fault.failureMs) st.failureMs = fault.failureMs;
    for (const lim of st.limits) {
      const v = sample.metrics[lim.metric];
      if (v === undefined) continue;
      if (fault?.failureMs === undefined && st.failureMs === null && (lim.direction === 'below' ? v < lim.limit : v > lim.limit)) st.failureMs = sample.ts;
      const buf = st.trends.get(lim.metric) ?? [];
      buf.push({ t: sample.ts, value: v });
      if (buf.length > o.trendSamples) buf.shift();
      st.trends.set(lim.metric, buf);
      // Forecasting every tenth sample keeps the cost down; a limit days away does not need more.
      if (st.seen % 10 !== 0 || predicted) continue;
      const f = forecastTimeToThreshold(buf, { limit: lim.limit, direction: lim.direction, minSamples: Math.min(60, o.trendSamples), minSpanMs: o.trendMinSpanMs });
      // Only a confident forecast alerts: the whole band inside the horizon. A daily cycle seen for a
      // day or two can still yield a marginally significant slope, but with a band reaching months.
      if (f && f.etaMs > 0 && f.highMs <= o.horizonMs) predicted = true;
    }
    if (!anomaly && !predicted) continue;
    const duringFault = fault !== undefined && sample.ts >= fault.startMs && (st.failureMs === null || sample.ts <= st.failureMs);
    if (duringFault && !st.firstAlert) st.firstAlert = { ts: sample.ts, source: anomaly ? 'anomaly' : 'forecast' };
    const healthy = fault === undefined || sample.ts < fault.startMs;
    if (healthy && sample.ts >= scenario.startMs + o.ignoreFirstMs && sample.ts - st.lastAlert > o.debounceMs) {
      st.falseAlarms++;
      if (!anomaly) st.falseByForecast++;
      const c = scored.cause;
      const cause = !anomaly ? 'forecast' : c?.stage === 'stat' ? `${st.names[c.dim] ?? c.dim}` : 'model';
      st.falseByCause.set(cause, (st.falseByCause.get(cause) ?? 0) + 1);
    }
    st.lastAlert = sample.ts;
  }
  const kinds = [...new Set(scenario.faults.map((f) => f.kind))].map((kind): KindReport => {
    const mine = scenario.faults.filter((f) => f.kind === kind).map((f) => states.get(f.scannerId)!);
    const leads = mine.filter((s) => s.firstAlert && s.failureMs !== null).map((s) => s.failureMs! - s.firstAlert!.ts);
    return {
      kind,
      faults: mine.length,
      detected: mine.filter((s) => s.firstAlert).length,
      failures: mine.filter((s) => s.failureMs !== null).length,
      medianLeadMs: median(leads),
      leadsMs: leads,
      byAnomaly: mine.filter((s) => s.firstAlert?.source === 'anomaly').length,
      byForecast: mine.filter((s) => s.firstAlert?.source === 'forecast').length,
    };
  });
  let healthyMs = 0;
  for (const s of scenario.scanners) {
    const from = scenario.startMs + o.ignoreFirstMs;
    const until = faultOf.get(s.scannerId)?.startMs ?? scenario.endMs;
    healthyMs += Math.max(0, until - from);
  }
  for (const st of states.values()) st.detector?.dispose();
  const all = [...states.values()];
  return {
    kinds,
    falseAlarms: all.reduce((a, s) => a + s.falseAlarms, 0),
    falseAlarmsByForecast: all.reduce((a, s) => a + s.falseByForecast, 0),
    falseAlarmsByCause: all.reduce<Record<string, number>>((acc, s) => {
      for (const [k, v] of s.falseByCause) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {}),
    healthyScannerDays: healthyMs / DAY,
    samples,
  };
}
