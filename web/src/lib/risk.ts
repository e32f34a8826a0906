// How the fleet page ranks scanners by risk and colours tiles. Kept pure so it is unit-tested.
import type { Alert } from '../../../contracts/alerts.js';
import type { TelemetryReading } from '../../../contracts/telemetry.js';
import { metricsFor } from '../../../contracts/metric-catalog.js';

export type TileState = 'ok' | 'warning' | 'critical';

/** Worst catalog limit any current value breaches. */
export function limitState(r: TelemetryReading): TileState {
  let state: TileState = 'ok';
  for (const m of metricsFor(r.modality)) {
    const v = r.metrics[m.name];
    if (v === undefined) continue;
    if ((m.critical?.low !== undefined && v < m.critical.low) || (m.critical?.high !== undefined && v > m.critical.high)) return 'critical';
    if ((m.warning?.low !== undefined && v < m.warning.low) || (m.warning?.high !== undefined && v > m.warning.high)) state = 'warning';
  }
  return state;
}

export function tileState(r: TelemetryReading, openAlerts: readonly Alert[]): TileState {
  if (openAlerts.some((a) => a.severity === 'critical')) return 'critical';
  const byLimits = limitState(r);
  if (byLimits === 'critical') return 'critical';
  return openAlerts.length > 0 || byLimits === 'warning' ? 'warning' : 'ok';
}

/** Higher is riskier: critical alerts first, then warnings, then how close values sit to their limits. */
export function riskScore(r: TelemetryReading, openAlerts: readonly Alert[]): number {
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
  return severity + Math.min(closeness, 9);
}
