import { memo, useMemo } from 'react';
import { Link } from 'react-router';
import type { Alert } from '../../../contracts/alerts.js';
import type { Prediction } from '../../../contracts/alert-signals.js';
import type { Modality } from '../../../contracts/common.js';
import type { TelemetryReading } from '../../../contracts/telemetry.js';
import { metricsFor, type MetricDefinition } from '../../../contracts/metric-catalog.js';
import type { AnomalyPoint } from '../data/models.js';
import { formatTime, formatValue } from '../lib/format.js';
import { soonestTimeToFailure } from '../lib/predictions.js';
import { hiddenBreach, type TileState } from '../lib/risk.js';
import { Sparkline } from './sparkline.js';
import { scannerPath } from '../../../contracts/web-routes.js';

export interface ScannerTileProps {
  reading: TelemetryReading;
  history: readonly TelemetryReading[];
  openAlerts: readonly Alert[];
  state: TileState;
  scores: readonly AnomalyPoint[] | undefined;
  predictions: ReadonlyMap<string, Prediction> | undefined;
  /** Registers the tile for visibility tracking (useVisibleSet); must be a stable function. */
  observe?: ((el: HTMLElement | null) => (() => void) | undefined) | undefined;
}

const SPARK_SAMPLES = 60;
const keyMetricsCache = new Map<Modality, readonly MetricDefinition[]>();
const keyMetricsOf = (m: Modality): readonly MetricDefinition[] => {
  let k = keyMetricsCache.get(m);
  if (!k) { k = metricsFor(m).filter((d) => d.key); keyMetricsCache.set(m, k); }
  return k;
};

/**
 * Memoised, and every prop is replaced (never mutated) when its data changes: of hundreds of tiles, only
 * those whose scanner reported since the last publish re-render.
 */
export const ScannerTile = memo(function ScannerTile({ reading, history, openAlerts, state, scores, predictions, observe }: ScannerTileProps) {
  const keyMetrics = keyMetricsOf(reading.modality);
  const trend = keyMetrics[0];
  const values = useMemo(() => {
    if (!trend) return [];
    const out: number[] = [];
    for (let i = Math.max(0, history.length - SPARK_SAMPLES); i < history.length; i++) {
      const v = history[i]?.metrics[trend.name];
      if (v !== undefined) out.push(v);
    }
    return out;
  }, [history, trend]);
  const anomaly = useMemo(() => (scores ?? []).slice(-SPARK_SAMPLES).map((a) => a.score), [scores]);
  const lastScore = scores?.[scores.length - 1];
  const ttf = soonestTimeToFailure(predictions, reading, Date.now());
  const breach = state === 'ok' ? undefined : hiddenBreach(reading);
  const anomalous = lastScore !== undefined && lastScore.score >= lastScore.threshold;
  // The link depends on the scanner only: the same element lets React skip the router hooks inside it.
  const name = useMemo(() => <Link className="name" to={scannerPath(reading.scannerId)}>{reading.scannerId}</Link>, [reading.scannerId]);
  return (
    <article ref={observe} className={`tile ${state}`} data-testid={`tile-${reading.scannerId}`} data-scanner={reading.scannerId} data-state={state}>
      <header>
        {name}
        <span className="modality">{reading.modality.toUpperCase()}</span>
        {openAlerts.length > 0 && <span className="alert-pill" title="open alerts">{openAlerts.length}</span>}
      </header>
      <dl>
        {keyMetrics.map((m) => (
          <div key={m.name} className="metric">
            <dt>{m.label}</dt>
            <dd data-testid={`value-${reading.scannerId}-${m.name}`}>{formatValue(reading.metrics[m.name], m.unit)}</dd>
          </div>
        ))}
        {breach && (
          <div className={`metric breach ${breach.state}`} title={`${breach.metric.label} is past its ${breach.state} limit`}>
            <dt>{breach.metric.label}</dt>
            <dd data-testid={`breach-${reading.scannerId}`}>{formatValue(reading.metrics[breach.metric.name], breach.metric.unit)}</dd>
          </div>
        )}
      </dl>
      {trend && <Sparkline values={values} label={trend.label} testId={`spark-${reading.scannerId}`} />}
      <div className={`anomaly${anomalous ? ' high' : ''}`} title={lastScore ? `anomaly score ${lastScore.score.toFixed(2)} (threshold ${lastScore.threshold.toFixed(2)})` : 'no anomaly score yet'}>
        <span className="anomaly-label">anomaly</span>
        <Sparkline values={anomaly} label="anomaly score" height={18} min={0} max={1} mark={lastScore?.threshold} className="spark anomaly-spark" testId={`anomaly-${reading.scannerId}`} />
      </div>
      {ttf && (
        <p className="ttf" data-testid={`ttf-${reading.scannerId}`} title={`${ttf.detail}${ttf.others > 0 ? `; ${ttf.others} more forecast${ttf.others > 1 ? 's' : ''}` : ''}`}>
          {ttf.text}
        </p>
      )}
      <footer className="updated" data-ts={reading.ts}>updated {formatTime(reading.ts)}</footer>
    </article>
  );
});
