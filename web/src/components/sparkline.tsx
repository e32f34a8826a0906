// A plain SVG sparkline. Tiles use it instead of a Recharts chart because a fleet page may show hundreds
// of tiles updating every second; Recharts is kept for the interactive charts of the scanner page.
export function Sparkline({ values, width = 200, height = 32, label }: { values: readonly number[]; width?: number; height?: number; label: string }) {
  if (values.length < 2) return <svg className="spark" width="100%" height={height} role="img" aria-label={`${label}: not enough data yet`} />;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const range = max - min || 1;
  const points = values.map((v, i) => `${((i / (values.length - 1)) * width).toFixed(1)},${(height - 2 - ((v - min) / range) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="spark" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" width="100%" height={height} role="img" aria-label={`${label} trend`}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
