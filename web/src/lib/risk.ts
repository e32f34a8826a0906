// How the fleet page ranks scanners by risk and colours tiles. Kept pure so it is unit-tested.
import type { Alert } from '../../../contracts/alerts.js';
import type { TelemetryReading } from '../../../contracts/telemetry.js';
import { metricsFor, type MetricDefinition } from '../../../contracts/metric-catalog.js';
import { HOUR } from '../../../contracts/units.js';

export type TileState = 'ok' | 'warning' | 'critical';

/** Which catalog limit a value breaches, if any. */
export function metricState(m: MetricDefinition, v: number | undefined): TileState {
  if (v === undefined) return 'ok';
  if ((m.critical?.low !== undefined && v < m.critical.low) || (m.critical?.high !== undefined && v > m.critical.high)) return 'critical';
  if ((m.warning?.low !== undefined && v < m.warning.low) || (m.warning?.high !== undefined && v > m.warning.high)) return 'warning';
  return 'ok';
}

/** Worst catalog limit any current value breaches. */
export function limitState(r: TelemetryReading): TileState {
  let state: TileState = 'ok';
  for (const m of metricsFor(r.modality)) {
    const s = metricState(m, r.metrics[m.name]);
    if (s === 'critical') return 'critical';
    if (s === 'warning') state = 'warning';
  }
  return state;
}

/**
 * The worst breach among metrics the tile does not show (a tile lists its key metrics only), so a tile
 * coloured by, say, helium boil-off says so.
 */
export function hiddenBreach(r: TelemetryReading): { metric: MetricDefinition; state: TileState } | undefined {
  let worst: { metric: MetricDefinition; state: TileState } | undefined;
  for (const m of metricsFor(r.modality)) {
    if (m.key) continue;
    const state = metricState(m, r.metrics[m.name]);
    if (state === 'critical') return { metric: m, state };
    if (state === 'warning' && !worst) worst = { metric: m, state };
  }
  return worst;
}

export function tileState(r: TelemetryReading, openAlerts: readonly Alert[]): TileState {
  if (openAlerts.some((a) => a.severity === 'critical')) return 'critical';
  const byLimits = limitState(r);
  if (byLimits === 'critical') return 'critical';
  return openAlerts.length > 0 || byLimits === 'warning' ? 'warning' : 'ok';
}

/** What the models add to a scanner's risk: the soonest forecast crossing, and whether it scores anomalous now. */
export interface ModelRisk { timeToFailureMs?: number | undefined; anomalous?: boolean | undefined }


/**
 * Risk of a forecast crossing: 20 when it is imminent, 10 at six hours (as much as a warning alert),
 * about 4 at a day, under 1 beyond a week; never as much as a critical alert.
 */
export function forecastRisk(timeToFailureMs: number | undefined): number {
  if (timeToFailureMs === undefined || !Number.isFinite(timeToFailureMs)) return 0;
  return 20 / (1 + Math.max(0, timeToFailureMs) / (6 * HOUR));
}

/**
 * Higher is riskier: critical alerts first, then a failure forecast soon and warnings, then an anomalous
 * model score and how far values sit outside their normal range.
 */
export function riskScore(r: TelemetryReading, openAlerts: readonly Alert[], model: ModelRisk = {}): number {
  const severity = openAlerts.reduce((s, a) => s + (a.severity === 'critical' ? 100 : a.severity === 'warning' ? 10 : 1), 0);
  let closeness = 0;
  for (const m of metricsFor(r.modality)) {
    const v = r.metrics[m.name];
    if (v === undefined) continue;
    const [lo, hi] = m.normal;
    const span = hi - lo || 1;
    const outside = v < lo ? (lo - v) / span : v > hi ? (v - hi) / span : 0;
    closeness = Math.max(closeness, outside);
  }
  return severity + forecastRisk(model.timeToFailureMs) + (model.anomalous ? 3 : 0) + Math.min(closeness, 9);
}
