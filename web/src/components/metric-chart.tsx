// The scanner page's main chart: a metric's value (and min–max band per bucket), its warning and critical
// limits, the forecast toward the limit with its uncertainty, and alert and maintenance markers on the
// time axis.
import { Area, CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricDefinition } from '../../../contracts/metric-catalog.js';
import { formatDateTime, formatValue, timeTicks } from '../lib/format.js';
import type { AlertMarker, Span } from '../lib/markers.js';

export interface ChartPoint {
  ts: number;
  mean?: number | null;
  band?: [number, number] | null;
  forecast?: number;
  forecastBand?: [number, number];
}

export const SEVERITY_COLOUR = { critical: '#d62828', warning: '#d69e2e', info: '#4a5568' } as const;

function limitLines(metric: MetricDefinition | undefined) {
  if (!metric) return null;
  const lines: [number | undefined, string, string][] = [
    [metric.warning?.low, '#d69e2e', 'warning'], [metric.warning?.high, '#d69e2e', 'warning'],
    [metric.critical?.low, '#d62828', 'critical'], [metric.critical?.high, '#d62828', 'critical'],
  ];
  return lines.filter(([y]) => y !== undefined).map(([y, stroke, label]) => (
    <ReferenceLine key={`${label}-${y}`} y={y} stroke={stroke} strokeDasharray={label === 'warning' ? '4 2' : undefined} ifOverflow="extendDomain"
      label={{ value: `${label} ${y}`, position: 'insideBottomLeft', fontSize: 11, fill: stroke }} />
  ));
}

export interface MetricChartProps {
  points: ChartPoint[];
  domain: [number, number];
  metric: MetricDefinition | undefined;
  alerts: readonly AlertMarker[];
  maintenance: readonly Span[];
  tickFormat: (ts: number) => string;
  live: boolean;
}

export function MetricChart({ points, domain, metric, alerts, maintenance, tickFormat, live }: MetricChartProps) {
  const unit = metric?.unit ?? '';
  const hasForecast = points.some((p) => p.forecast !== undefined);
  // A few points (a scanner that just started reporting) would be a speck as a line alone.
  const sparse = points.filter((p) => p.mean !== undefined && p.mean !== null).length < 30;
  return (
    <ResponsiveContainer width="100%" height={300}>
      <ComposedChart data={points} margin={{ top: 16, right: 24, bottom: 0, left: 0 }} syncId="scanner" syncMethod="value">
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="ts" type="number" scale="time" domain={domain} allowDataOverflow ticks={timeTicks(domain[0], domain[1])} tickFormatter={tickFormat} />
        <YAxis domain={['auto', 'auto']} unit={unit ? ` ${unit}` : ''} width={84} tickFormatter={(v: number) => formatValue(v, '').trim()} />
        <Tooltip labelFormatter={(ts) => formatDateTime(Number(ts))}
          formatter={(v) => (Array.isArray(v) ? v.map((x) => formatValue(Number(x), unit)).join(' – ') : formatValue(Number(v), unit))} />
        {maintenance.map((s) => (
          <ReferenceArea key={`m-${s.start}`} x1={s.start} x2={s.end} ifOverflow="hidden" fill="#3182ce" fillOpacity={0.12} stroke="#3182ce" strokeOpacity={0.4}
            className="maintenance-marker" />
        ))}
        <Area dataKey="band" name="min–max" stroke="none" fill="#a0aec0" fillOpacity={0.35} isAnimationActive={false} connectNulls={false} />
        {hasForecast && <Area dataKey="forecastBand" name="forecast interval" stroke="none" fill="#f6ad55" fillOpacity={0.3} isAnimationActive={false} />}
        {limitLines(metric)}
        <Line type="monotone" dataKey="mean" name={live ? 'value' : 'mean'} dot={sparse ? { r: 2 } : false} isAnimationActive={false} stroke="#14213d" connectNulls={false} />
        {hasForecast && <Line type="linear" dataKey="forecast" name="forecast" dot={false} isAnimationActive={false} stroke="#c05621" strokeWidth={2} strokeDasharray="6 4" />}
        {alerts.map((a) => (
          <ReferenceLine key={`a-${a.id}-${a.ts}`} x={a.ts} stroke={SEVERITY_COLOUR[a.severity]} strokeWidth={2} ifOverflow="hidden" className="alert-marker"
            label={{ value: '▲', position: 'insideBottom', fontSize: 12, fill: SEVERITY_COLOUR[a.severity] }} />
        ))}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
