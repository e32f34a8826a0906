// The PACS page's charts over time, from GET /api/pacs/{id}/history: retrieval percentiles per study age
// (and tier), failures per cause, tier fill with its straight-line forecast to full, and the share of
// successful associations per probe. Each says plainly when its range holds no data yet.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PacsTierForecast } from '../../../contracts/pacs.js';
import type { PacsHistory } from '../../../contracts/pacs-api.js';
import { formatShortDateTime, formatTime, timeTicks } from '../lib/format.js';

const COLOURS = ['#2a9d8f', '#1982c4', '#6a4c93', '#f77f00', '#d62828', '#8ac926', '#ff595e', '#4a5568', '#fcbf49'];
export const AGE_LABEL: Record<string, string> = { lt_7d: '< 7 days', lt_90d: '< 90 days', lt_1y: '< 1 year', lt_3y: '< 3 years', ge_3y: '≥ 3 years', unknown: 'unknown age', none: '—' };
export const AGE_ORDER = ['lt_7d', 'lt_90d', 'lt_1y', 'lt_3y', 'ge_3y', 'unknown'];
const DAY_MS = 86_400_000;

interface Range { from: number; to: number }
type Row = Record<string, number | null>;

/** Merges per-series points into one row per timestamp, for recharts. */
function merge<P extends { ts: number }>(series: readonly { key: string; points: readonly P[] }[], value: (p: P) => number | null): Row[] {
  const rows = new Map<number, Row>();
  for (const s of series) for (const p of s.points) {
    const row = rows.get(p.ts) ?? { ts: p.ts };
    row[s.key] = value(p);
    rows.set(p.ts, row);
  }
  return [...rows.values()].sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
}

function TimeChart({ rows, keys, range, unit, children, bars }: { rows: Row[]; keys: string[]; range: Range; unit: string; children?: React.ReactNode; bars?: boolean }) {
  const tickFmt = range.to - range.from > DAY_MS ? formatShortDateTime : formatTime;
  const axis = <XAxis dataKey="ts" type="number" scale="time" domain={[range.from, range.to]} ticks={timeTicks(range.from, range.to, 5)} tickFormatter={tickFmt} />;
  const tooltip = <Tooltip labelFormatter={(t) => formatShortDateTime(Number(t))} formatter={(v) => (typeof v === 'number' ? `${v.toFixed(unit === '%' ? 1 : 0)} ${unit}` : String(v))} />;
  return (
    <ResponsiveContainer width="100%" height={210}>
      {bars ? (
        <BarChart data={rows}><CartesianGrid strokeDasharray="3 3" />{axis}<YAxis allowDecimals={false} width={40} />{tooltip}<Legend />
          {keys.map((k, i) => <Bar key={k} dataKey={k} stackId="a" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />)}
        </BarChart>
      ) : (
        <LineChart data={rows}><CartesianGrid strokeDasharray="3 3" />{axis}<YAxis unit={unit === '%' ? ' %' : ''} width={unit === '%' ? 55 : 60} {...(unit === '%' ? { domain: [0, 100] } : {})} />{tooltip}<Legend />{children}
          {/* A series with a few points so far (a fresh start) shows them as dots, or it would not show at all. */}
          {keys.map((k, i) => <Line key={k} dataKey={k} stroke={COLOURS[i % COLOURS.length]} dot={rows.filter((r) => r[k] != null).length < 4} connectNulls isAnimationActive={false} />)}
        </LineChart>
      )}
    </ResponsiveContainer>
  );
}

const empty = (what: string) => <p className="muted">{what}</p>;

export function LatencyOverTime({ h, range }: { h: PacsHistory; range: Range }) {
  const series = [...h.latency].sort((a, b) => AGE_ORDER.indexOf(a.ageBucket) - AGE_ORDER.indexOf(b.ageBucket))
    .map((s) => ({ key: `p95 ${AGE_LABEL[s.ageBucket] ?? s.ageBucket}${s.tier ? ` (${s.tier})` : ''}`, points: s.points }));
  if (series.length === 0) return empty('No retrievals in this range.');
  return <TimeChart rows={merge(series, (p) => p.p95Ms)} keys={series.map((s) => s.key)} range={range} unit="ms">
    <ReferenceLine y={5000} stroke="#d62828" strokeDasharray="4 2" label={{ value: '5 s', position: 'insideTopLeft', fontSize: 11, fill: '#d62828' }} />
  </TimeChart>;
}

export function FailuresOverTime({ h, range }: { h: PacsHistory; range: Range }) {
  const series = h.failures.map((s) => ({ key: s.cause, points: s.points }));
  if (series.length === 0) return empty('No failed probes in this range.');
  return <TimeChart rows={merge(series, (p) => p.count)} keys={series.map((s) => s.key)} range={range} unit="" bars />;
}

export function AssociationOverTime({ h, range }: { h: PacsHistory; range: Range }) {
  const series = h.association.map((s) => ({ key: s.probe, points: s.points }));
  if (series.length === 0) return empty('No probes in this range.');
  return <TimeChart rows={merge(series, (p) => (p.okRatio === null ? null : 100 * p.okRatio))} keys={series.map((s) => s.key)} range={range} unit="%" />;
}

/** Fill history per tier and, dashed, the current growth rate carried forward until full (or the horizon). */
export function TierFillForecast({ h, tiers, now, horizonDays = 30 }: { h: PacsHistory; tiers: readonly PacsTierForecast[]; now: number; horizonDays?: number }) {
  if (h.storage.length === 0) return empty('No tier usage in this range.');
  const range = { from: h.from, to: now + horizonDays * DAY_MS };
  const series = h.storage.map((s) => ({ key: s.tier, points: s.points }));
  const rows = merge(series, (p) => p.mean);
  for (const t of tiers) {
    if (t.fillPct === null || t.growthBytesPerDay === null || !t.capacityBytes || t.growthBytesPerDay <= 0) continue;
    const perDay = (100 * t.growthBytesPerDay) / t.capacityBytes;
    const days = Math.min(horizonDays, (100 - t.fillPct) / perDay);
    rows.push({ ts: now, [`${t.tier} forecast`]: t.fillPct }, { ts: now + days * DAY_MS, [`${t.tier} forecast`]: Math.min(100, t.fillPct + perDay * days) });
  }
  rows.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  const forecastKeys = tiers.filter((t) => t.growthBytesPerDay !== null && t.growthBytesPerDay > 0).map((t) => `${t.tier} forecast`);
  return <TimeChart rows={rows} keys={series.map((s) => s.key)} range={range} unit="%">
    <ReferenceLine y={85} stroke="#d62828" strokeDasharray="4 2" label={{ value: '85 %', position: 'insideTopLeft', fontSize: 11, fill: '#d62828' }} />
    <ReferenceLine x={now} stroke="#888" label={{ value: 'now', position: 'insideTopRight', fontSize: 11 }} />
    {forecastKeys.map((k) => <Line key={k} dataKey={k} stroke={COLOURS[series.findIndex((s) => `${s.key} forecast` === k) % COLOURS.length]} strokeDasharray="6 4" dot={false} connectNulls isAnimationActive={false} legendType="none" />)}
  </TimeChart>;
}
