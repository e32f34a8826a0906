export const RANGES = [
  { key: '15m', label: '15 min', ms: 15 * 60_000 },
  { key: '1h', label: '1 hour', ms: 3_600_000 },
  { key: '6h', label: '6 hours', ms: 6 * 3_600_000 },
  { key: '24h', label: '24 hours', ms: 86_400_000 },
  { key: '7d', label: '7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: '30 days', ms: 30 * 86_400_000 },
  { key: '1y', label: '1 year', ms: 365 * 86_400_000 },
] as const;
export type RangeKey = (typeof RANGES)[number]['key'];

export function rangeMs(key: string | null): { key: RangeKey; ms: number } {
  const r = RANGES.find((x) => x.key === key) ?? RANGES[0];
  return { key: r.key, ms: r.ms };
}

export function RangePicker({ value, onChange }: { value: RangeKey; onChange: (k: RangeKey) => void }) {
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r.key} type="button" className={r.key === value ? '' : 'secondary'} aria-pressed={r.key === value}
          onClick={() => onChange(r.key)} data-testid={`range-${r.key}`}>{r.label}</button>
      ))}
    </div>
  );
}
