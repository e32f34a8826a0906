import { useEffect, useState } from 'react';
import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';
import type { Alert } from '../../../contracts/alerts';
import type { TelemetryReading } from '../../../contracts/telemetry';
import { metricsFor } from '../../../contracts/metric-catalog';
import { formatValue } from '../format';

const HISTORY = 60;

export function ScannerTile({ reading, alerts }: { reading: TelemetryReading; alerts: Alert[] }) {
  const keyMetrics = metricsFor(reading.modality).filter((m) => m.key);
  const trendMetric = keyMetrics[0];
  // Immutable updates: Recharts keeps (and freezes) the data array it is given.
  const [history, setHistory] = useState<readonly { ts: number; v: number }[]>([]);
  useEffect(() => {
    const v = trendMetric ? reading.metrics[trendMetric.name] : undefined;
    if (v === undefined) return;
    setHistory((h) => ((h[h.length - 1]?.ts ?? 0) < reading.ts ? [...h.slice(1 - HISTORY), { ts: reading.ts, v }] : h));
  }, [reading, trendMetric]);
  const state = alerts.some((a) => a.severity === 'critical') ? 'critical' : alerts.length > 0 ? 'warning' : 'ok';
  return (
    <article className={`tile ${state}`} data-testid={`tile-${reading.scannerId}`} data-state={state} aria-label={`${reading.scannerId} ${state}`}>
      <header>
        <span className="name">{reading.scannerId}</span>
        <span className="modality">{reading.modality.toUpperCase()}</span>
      </header>
      <dl>
        {keyMetrics.map((m) => (
          <div key={m.name} className="metric">
            <dt>{m.label}</dt>
            <dd data-testid={`value-${reading.scannerId}-${m.name}`}>{formatValue(reading.metrics[m.name], m.unit)}</dd>
          </div>
        ))}
      </dl>
      {trendMetric && (
        <div className="spark" title={`${trendMetric.label}, last ${HISTORY} samples`}>
          <ResponsiveContainer width="100%" height={36}>
            <LineChart data={[...history]}>
              <YAxis hide domain={['auto', 'auto']} />
              <Line type="monotone" dataKey="v" dot={false} isAnimationActive={false} stroke="currentColor" strokeWidth={1.5} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <footer className="updated">updated {new Date(reading.ts).toLocaleTimeString()}</footer>
    </article>
  );
}
