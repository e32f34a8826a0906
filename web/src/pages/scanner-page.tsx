import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Alert } from '../../../contracts/alerts';
import { metricsFor } from '../../../contracts/metric-catalog';
import { subscribeFleetTelemetry, type FleetSnapshot } from '../data/telemetry';
import { formatTime, formatValue } from '../lib/format';
import { AlertList } from '../components/alert-list';

export function ScannerPage({ alerts }: { alerts: readonly Alert[] }) {
  const { scannerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [snap, setSnap] = useState<FleetSnapshot>({ latest: new Map(), history: new Map() });
  useEffect(() => subscribeFleetTelemetry(setSnap), []);
  const reading = snap.latest.get(scannerId);
  if (!reading) {
    return <section className="panel"><p className="empty">No data from <strong>{scannerId}</strong> yet. <Link to="/">Back to the fleet</Link></p></section>;
  }
  const metrics = metricsFor(reading.modality);
  const metricName = params.get('metric') ?? metrics.find((m) => m.key)?.name ?? metrics[0]?.name ?? '';
  const metric = metrics.find((m) => m.name === metricName);
  const data = (snap.history.get(scannerId) ?? []).filter((h) => h.metrics[metricName] !== undefined).map((h) => ({ ts: h.ts, v: h.metrics[metricName] }));
  const mine = alerts.filter((a) => a.scannerId === scannerId);
  return (
    <section className="scanner-page" aria-label={`Scanner ${scannerId}`}>
      <header className="panel-header">
        <h2>{scannerId}</h2>
        <span className="modality">{reading.modality.toUpperCase()}</span>
        <span className="muted">{reading.site} · last reading {formatTime(reading.ts)}</span>
      </header>
      <div className="panel">
        <label>Metric <select value={metricName} onChange={(e) => setParams({ metric: e.target.value })} data-testid="metric-select">
          {metrics.map((m) => <option key={m.name} value={m.name}>{m.label} ({m.unit})</option>)}
        </select></label>
        <div className="chart" data-testid="scanner-chart">
          <ResponsiveContainer width="100%" height={280}>
            <LineChart data={data} margin={{ top: 10, right: 20, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="ts" type="number" domain={['dataMin', 'dataMax']} tickFormatter={formatTime} />
              <YAxis domain={['auto', 'auto']} unit={metric ? ` ${metric.unit}` : ''} width={80} />
              <Tooltip labelFormatter={(ts) => formatTime(Number(ts))} formatter={(v) => formatValue(Number(v), metric?.unit ?? '')} />
              {metric?.warning?.low !== undefined && <ReferenceLine y={metric.warning.low} stroke="#e9c46a" strokeDasharray="4 2" label="warning" />}
              {metric?.warning?.high !== undefined && <ReferenceLine y={metric.warning.high} stroke="#e9c46a" strokeDasharray="4 2" label="warning" />}
              {metric?.critical?.low !== undefined && <ReferenceLine y={metric.critical.low} stroke="#d62828" label="critical" />}
              {metric?.critical?.high !== undefined && <ReferenceLine y={metric.critical.high} stroke="#d62828" label="critical" />}
              <Line type="monotone" dataKey="v" dot={false} isAnimationActive={false} stroke="#14213d" />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <p className="muted">{metric?.meaning}</p>
      </div>
      <div className="panel">
        <h3>Current values</h3>
        <dl className="values">
          {metrics.map((m) => (
            <div key={m.name} className="metric"><dt>{m.label}</dt><dd>{formatValue(reading.metrics[m.name], m.unit)}</dd></div>
          ))}
        </dl>
      </div>
      <AlertList alerts={mine} title="Alerts of this scanner" />
    </section>
  );
}
