// Second half of eval:fleet: runs the shared alert gates (models/src/alerting/gating.ts, the ones the live
// alert engine uses) over recorded detector and forecast signals, and scores the alerts against the
// injected faults: detection, lead time, and false alarms per healthy scanner-day.
import { AnomalyGate, ForecastGate, type AnomalyGateConfig, type ForecastGateConfig } from '../alerting/gating.js';
import { collectSignals, type FleetSignals, type ScannerSignals, type SignalOptions } from './signals.js';
import type { FleetScenario, InjectedFault } from './scenario.js';
import { DAY } from '../../../contracts/units.js';

export interface GateOptions {
  /** The shipped `scanner-anomaly` rule's gate (rules/scanners.yaml), or a candidate when tuning. */
  anomaly: AnomalyGateConfig;
  /** The shipped `scanner-forecast` rule's gate. */
  forecast: ForecastGateConfig;
  /** Alarms in the first day are commissioning noise of untrained detectors and are not counted. */
  ignoreFirstMs: number;
  /**
   * False: forecasts of load-following metrics are dropped, as the scoring worker does with
   * models.forecastLoadFollowing off (signals record every forecast, so both settings compare on one run).
   */
  forecastLoadFollowing?: boolean;
}

export type FleetEvalOptions = SignalOptions & GateOptions;

/** One alert opened by a gate: what the alert engine would raise as a new alert. */
export interface OpenedAlert { scannerId: string; ts: number; source: 'anomaly' | 'forecast'; cause: string }

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
  /** False alarms by what raised them: 'forecast:<metric>', 'model' (learned stage) or the metric the statistical stage flagged. */
  falseAlarmsByCause: Record<string, number>;
  healthyScannerDays: number;
  samples: number;
  /** Every alert the gates opened, in time order per scanner. */
  alerts: OpenedAlert[];
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The alerts one scanner's gates open, as the alert engine would open them from the same signals. */
export function gateScanner(sig: ScannerSignals, g: Pick<GateOptions, 'anomaly' | 'forecast' | 'forecastLoadFollowing'>): OpenedAlert[] {
  const skip = new Set(g.forecastLoadFollowing === false ? sig.loadFollowing : []);
  const anomaly = new AnomalyGate(g.anomaly);
  const forecasts = new Map<string, ForecastGate>();
  const out: OpenedAlert[] = [];
  let d = 0;
  let f = 0;
  let u = 0;
  for (let i = 0; i < sig.ts.length; i++) {
    const ts = sig.ts[i]!;
    if (sig.unscored?.[u] === i) u++;
    else {
      const det = sig.anomalous[d]?.i === i ? sig.anomalous[d++] : undefined;
      if (anomaly.update(det !== undefined).opened) out.push({ scannerId: sig.scannerId, ts, source: 'anomaly', cause: det?.cause ?? 'model' });
    }
    for (; sig.forecasts[f]?.i === i; f++) {
      const fc = sig.forecasts[f]!;
      if (skip.has(fc.metric)) continue;
      let gate = forecasts.get(fc.metric);
      if (!gate) { gate = new ForecastGate(g.forecast); forecasts.set(fc.metric, gate); }
      const step = gate.update({ etaMs: fc.etaMs, ts, ...(fc.highMs !== undefined ? { highMs: fc.highMs } : {}) });
      if (step.opened) out.push({ scannerId: sig.scannerId, ts, source: 'forecast', cause: `forecast:${fc.metric}` });
    }
  }
  return out;
}

function failureOf(sig: ScannerSignals, fault: InjectedFault | undefined): number | null {
  // Ground truth, when given, fixes the failure time; it counts once the replay has reached it.
  if (fault?.failureMs !== undefined) return fault.failureMs <= (sig.ts[sig.ts.length - 1] ?? -Infinity) ? fault.failureMs : null;
  return sig.crossingMs;
}

export function scoreFleet(signals: FleetSignals, o: GateOptions): FleetReport {
  const faultOf = new Map(signals.faults.map((f) => [f.scannerId, f]));
  const from = signals.startMs + o.ignoreFirstMs;
  const perScanner = new Map<string, { first: OpenedAlert | null; failureMs: number | null }>();
  const alerts: OpenedAlert[] = [];
  const byCause = new Map<string, number>();
  let falseAlarms = 0;
  let falseByForecast = 0;
  let healthyMs = 0;
  for (const sig of signals.scanners) {
    const fault = faultOf.get(sig.scannerId);
    const failureMs = failureOf(sig, fault);
    const opened = gateScanner(sig, o);
    alerts.push(...opened);
    const during = opened.filter((a) => fault !== undefined && a.ts >= fault.startMs && (failureMs === null || a.ts <= failureMs));
    perScanner.set(sig.scannerId, { first: during[0] ?? null, failureMs });
    for (const a of opened) {
      if ((fault !== undefined && a.ts >= fault.startMs) || a.ts < from) continue;
      falseAlarms++;
      if (a.source === 'forecast') falseByForecast++;
      byCause.set(a.cause, (byCause.get(a.cause) ?? 0) + 1);
    }
    healthyMs += Math.max(0, (fault?.startMs ?? signals.endMs) - from);
  }
  const kinds = [...new Set(signals.faults.map((f) => f.kind))].map((kind): KindReport => {
    const mine = signals.faults.filter((f) => f.kind === kind).map((f) => perScanner.get(f.scannerId) ?? { first: null, failureMs: null });
    const leads = mine.filter((s) => s.first && s.failureMs !== null).map((s) => s.failureMs! - s.first!.ts);
    return {
      kind,
      faults: mine.length,
      detected: mine.filter((s) => s.first).length,
      failures: mine.filter((s) => s.failureMs !== null).length,
      medianLeadMs: median(leads),
      leadsMs: leads,
      byAnomaly: mine.filter((s) => s.first?.source === 'anomaly').length,
      byForecast: mine.filter((s) => s.first?.source === 'forecast').length,
    };
  });
  return {
    kinds, falseAlarms, falseAlarmsByForecast: falseByForecast, falseAlarmsByCause: Object.fromEntries(byCause),
    healthyScannerDays: healthyMs / DAY, samples: signals.samples, alerts,
  };
}

export function evaluateFleet(scenario: FleetScenario, o: FleetEvalOptions): FleetReport {
  return scoreFleet(collectSignals(scenario, o), o);
}
