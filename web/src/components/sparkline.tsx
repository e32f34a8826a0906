// A plain SVG sparkline. Tiles use it instead of a Recharts chart because a fleet page may show hundreds
// of tiles updating every second; Recharts is kept for the interactive charts of the scanner page.
// Memoised: a tile re-renders when either of its two series changes, and only that one is recomputed
// (callers pass value arrays that are replaced, not mutated).
import { memo } from 'react';

/** One decimal without toFixed (which, called 100k times a second on a big fleet, showed in profiles). */
const d1 = (v: number): number => Math.round(v * 10) / 10;
export interface SparklineProps {
  values: readonly number[];
  label: string;
  width?: number;
  height?: number;
  /** Fixed scale; by default the values' own min and max. */
  min?: number;
  max?: number;
  /** A level drawn as a dashed line (e.g. the anomaly threshold). */
  mark?: number;
  className?: string;
  testId?: string;
}

export const Sparkline = memo(function Sparkline({ values, width = 200, height = 32, label, min, max, mark, className = 'spark', testId }: SparklineProps) {
  if (values.length < 2) {
    return <svg className={className} width="100%" height={height} role="img" aria-label={`${label}: not enough data yet`} data-testid={testId} data-points={values.length} />;
  }
  const lo = min ?? Math.min(...values);
  const hi = max ?? Math.max(...values);
  const range = hi - lo || 1;
  const y = (v: number) => d1(height - 2 - ((Math.min(hi, Math.max(lo, v)) - lo) / range) * (height - 4));
  const step = width / (values.length - 1);
  let points = '';
  for (let i = 0; i < values.length; i++) points += `${i ? ' ' : ''}${d1(i * step)},${y(values[i] as number)}`;
  return (
    <svg className={className} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" width="100%" height={height} role="img" aria-label={`${label} trend`} data-testid={testId} data-points={values.length}>
      {mark !== undefined && <line x1="0" x2={width} y1={y(mark)} y2={y(mark)} className="mark" strokeDasharray="3 3" vectorEffect="non-scaling-stroke" />}
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
    </svg>
  );
});
