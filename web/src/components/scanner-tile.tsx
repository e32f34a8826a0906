import { memo } from 'react';
import { Link } from 'react-router';
import type { Alert } from '../../../contracts/alerts.js';
import type { TelemetryReading } from '../../../contracts/telemetry.js';
import { metricsFor } from '../../../contracts/metric-catalog.js';
import { formatTime, formatValue } from '../lib/format.js';
import type { TileState } from '../lib/risk.js';
import { Sparkline } from './sparkline.js';

export interface ScannerTileProps {
  reading: TelemetryReading;
  history: readonly TelemetryReading[];
  openAlerts: readonly Alert[];
  state: TileState;
}

/** Memoised: with hundreds of tiles, only the tiles whose reading changed re-render each frame. */
export const ScannerTile = memo(function ScannerTile({ reading, history, openAlerts, state }: ScannerTileProps) {
  const keyMetrics = metricsFor(reading.modality).filter((m) => m.key);
  const trend = keyMetrics[0];
  const values = trend ? history.slice(-60).map((h) => h.metrics[trend.name]).filter((v): v is number => v !== undefined) : [];
  return (
    <article className={`tile ${state}`} data-testid={`tile-${reading.scannerId}`} data-state={state}>
      <header>
        <Link className="name" to={`/scanners/${reading.scannerId}`}>{reading.scannerId}</Link>
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
      </dl>
      {trend && <Sparkline values={values} label={trend.label} />}
      <footer className="updated">updated {formatTime(reading.ts)}</footer>
    </article>
  );
});
