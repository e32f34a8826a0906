import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Alert } from '../../../contracts/alerts.js';
import { metricsFor, type MetricDefinition } from '../../../contracts/metric-catalog.js';
import type { SeriesResponse } from '../../../contracts/series.js';
import { fetchSeries } from '../data/series.js';
import { subscribeFleetTelemetry, type FleetSnapshot } from '../data/telemetry.js';
import { formatDateTime, formatTime, formatValue } from '../lib/format.js';
import { AlertList } from '../components/alert-list.js';
import { RangePicker, rangeMs } from '../components/range-picker.js';

interface ChartPoint { ts: number; mean: number | null; band: [number, number] | null }

function limitLines(metric: MetricDefinition | undefined) {
  if (!metric) return null;
  const lines: [number | undefined, string, string][] = [
    [metric.warning?.low, '#e9c46a', 'warning'], [metric.warning?.high, '#e9c46a', 'warning'],
    [metric.critical?.low, '#d62828', 'critical'], [metric.critical?.high, '#d62828', 'critical'],
  ];
  return lines.filter(([y]) => y !== undefined).map(([y, stroke, label]) => (
    <ReferenceLine key={`${label}-${y}`} y={y} stroke={stroke} strokeDasharray={label === 'warning' ? '4 2' : undefined} label={{ value: label, position: 'insideTopRight', fontSize: 11 }} />
  ));
}

export function ScannerPage({ alerts }: { alerts: readonly Alert[] }) {
  const { scannerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [snap, setSnap] = useState<FleetSnapshot>({ latest: new Map(), history: new Map(), version: 0 });
  const [series, setSeries] = useState<{ data: SeriesResponse | null; error: string; loading: boolean }>({ data: null, error: '', loading: false });
  useEffect(() => subscribeFleetTelemetry(setSnap), []);
  const reading = snap.latest.get(scannerId);
  const metrics = reading ? metricsFor(reading.modality) : [];
  const metricName = params.get('metric') ?? metrics.find((m) => m.key)?.name ?? metrics[0]?.name ?? '';
  const metric = metrics.find((m) => m.name === metricName);
  const range = rangeMs(params.get('range'));
  const live = range.key === '15m';

  useEffect(() => {
    if (live || !metricName) return;
    let cancelled = false;
    const to = Date.now();
    setSeries((s) => ({ ...s, loading: true, error: '' }));
    fetchSeries(scannerId, [metricName], to - range.ms, to).then(
      (data) => { if (!cancelled) setSeries({ data, error: '', loading: false }); },
      (err: unknown) => { if (!cancelled) setSeries({ data: null, error: err instanceof Error ? err.message : String(err), loading: false }); },
    );
    return () => { cancelled = true; };
  }, [scannerId, metricName, range.key, range.ms, live]);

  if (!reading) {
    return <section className="panel"><p className="empty">No data from <strong>{scannerId}</strong> yet. <Link to="/">Back to the fleet</Link></p></section>;
  }
  const setParam = (k: string, v: string) => setParams((p) => { p.set(k, v); return p; }, { replace: true });
  const points: ChartPoint[] = live
    ? (snap.history.get(scannerId) ?? []).filter((h) => h.ts >= Date.now() - range.ms && h.metrics[metricName] !== undefined)
      .map((h) => ({ ts: h.ts, mean: h.metrics[metricName] ?? null, band: null }))
    : (series.data?.series.find((s) => s.metric === metricName)?.points ?? [])
      .map((p) => ({ ts: p.ts, mean: p.mean, band: p.min !== null && p.max !== null ? [p.min, p.max] : null }));
  const mine = alerts.filter((a) => a.scannerId === scannerId);
  const tickFormat = range.ms > 86_400_000 ? (ts: number) => new Date(ts).toLocaleDateString() : formatTime;
  return (
    <section className="scanner-page" aria-label={`Scanner ${scannerId}`}>
      <header className="panel-header">
        <h2>{scannerId}</h2>
        <span className="modality">{reading.modality.toUpperCase()}</span>
        <span className="muted">{reading.site} · last reading {formatTime(reading.ts)}</span>
      </header>
      <div className="panel">
        <div className="toolbar">
          <label>Metric <select value={metricName} onChange={(e) => setParam('metric', e.target.value)} data-testid="metric-select">
            {metrics.map((m) => <option key={m.name} value={m.name}>{m.label} ({m.unit})</option>)}
          </select></label>
          <RangePicker value={range.key} onChange={(k) => setParam('range', k)} />
          <span className="muted" data-testid="series-status">
            {live ? 'live' : series.loading ? 'loading…' : series.error ? `error: ${series.error}` : series.data ? `${points.length} buckets of ${Math.round(series.data.stepMs / 1000)} s` : ''}
          </span>
        </div>
        <div className="chart" data-testid="scanner-chart" data-points={points.length}>
          {points.length === 0 && !series.loading ? <p className="empty">No data in this range.</p> : (
            <ResponsiveContainer width="100%" height={300}>
              <ComposedChart data={points} margin={{ top: 10, right: 20, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="ts" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tickFormat} />
                <YAxis domain={['auto', 'auto']} unit={metric ? ` ${metric.unit}` : ''} width={84} />
                <Tooltip labelFormatter={(ts) => formatDateTime(Number(ts))} formatter={(v) => (Array.isArray(v) ? v.map((x) => formatValue(Number(x), metric?.unit ?? '')).join(' – ') : formatValue(Number(v), metric?.unit ?? ''))} />
                {!live && <Area dataKey="band" name="min–max" stroke="none" fill="#a0aec0" fillOpacity={0.35} isAnimationActive={false} />}
                {limitLines(metric)}
                <Line type="monotone" dataKey="mean" name={live ? 'value' : 'mean'} dot={false} isAnimationActive={false} stroke="#14213d" connectNulls={false} />
              </ComposedChart>
            </ResponsiveContainer>
          )}
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
