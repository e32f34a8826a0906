// The anomaly score under the metric chart, on the same time axis: the score (mean, and the min–max band
// per bucket for stored history) against the detector's calibrated threshold.
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDateTime, timeTicks } from '../lib/format.js';

export interface ScorePoint { ts: number; score: number | null; band?: [number, number] | null }

export function AnomalyChart({ points, domain, threshold, tickFormat }: { points: ScorePoint[]; domain: [number, number]; threshold: number | undefined; tickFormat: (ts: number) => string }) {
  return (
    <ResponsiveContainer width="100%" height={130}>
      <ComposedChart data={points} margin={{ top: 8, right: 24, bottom: 0, left: 0 }} syncId="scanner" syncMethod="value">
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis axisLine={false} dataKey="ts" type="number" scale="time" domain={domain} allowDataOverflow ticks={timeTicks(domain[0], domain[1])} tickFormatter={tickFormat} />
        <YAxis domain={[0, 1]} ticks={[0, 0.5, 1]} width={84} />
        <Tooltip labelFormatter={(ts) => formatDateTime(Number(ts))}
          formatter={(v) => (Array.isArray(v) ? v.map((x) => Number(x).toFixed(2)).join(' – ') : Number(v).toFixed(2))} />
        <Area dataKey="band" name="score min–max" stroke="none" fill="#b794f4" fillOpacity={0.35} isAnimationActive={false} />
        <Line type="monotone" dataKey="score" name="anomaly score" dot={points.length < 30 ? { r: 2 } : false} isAnimationActive={false} stroke="#6b46c1" strokeWidth={2} connectNulls={false} />
        {threshold !== undefined && (
          <ReferenceLine y={threshold} stroke="#d62828" strokeDasharray="4 2" label={{ value: `threshold ${threshold.toFixed(2)}`, position: 'insideTopLeft', fontSize: 11, fill: '#d62828' }} />
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
