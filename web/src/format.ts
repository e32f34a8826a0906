/** Formats a metric value with its unit; a missing value shows as a dash, never as "undefined" or NaN. */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'bool') return value >= 0.5 ? 'on' : 'off';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}
