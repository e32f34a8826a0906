// Tier growth and days-to-full: an ordinary least-squares line through (time, used bytes) over a sliding
// window. The band comes from the slope's standard error (95 %, normal approximation): the low bound of
// days-to-full assumes the fast end of the growth estimate, the high bound the slow end (null = never full).
import type { PacsTierForecast } from '../../contracts/pacs.js';
import { DAY } from '../../contracts/units.js';

const Z95 = 1.96;

export interface UsageSample { ts: number; usedBytes: number }

export interface Fit { slopePerMs: number; slopeSe: number }

export function fitLine(samples: readonly UsageSample[]): Fit | undefined {
  const n = samples.length;
  if (n < 3) return undefined;
  const t0 = (samples[0] as UsageSample).ts;
  let sx = 0; let sy = 0;
  for (const s of samples) { sx += s.ts - t0; sy += s.usedBytes; }
  const mx = sx / n; const my = sy / n;
  let sxx = 0; let sxy = 0;
  for (const s of samples) { const dx = s.ts - t0 - mx; sxx += dx * dx; sxy += dx * (s.usedBytes - my); }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  let sse = 0;
  for (const s of samples) { const r = s.usedBytes - (my + slope * (s.ts - t0 - mx)); sse += r * r; }
  return { slopePerMs: slope, slopeSe: Math.sqrt(sse / (n - 2) / sxx) };
}

const daysAt = (freeBytes: number, bytesPerDay: number): number | null => (bytesPerDay > 0 ? Math.max(0, freeBytes) / bytesPerDay : null);

export function forecastTier(tier: string, samples: readonly UsageSample[], capacityBytes: number | undefined): PacsTierForecast {
  const last = samples[samples.length - 1];
  const used = last?.usedBytes ?? 0;
  const cap = capacityBytes ?? null;
  const fit = fitLine(samples);
  const perDay = fit ? fit.slopePerMs * DAY : null;
  const seDay = fit ? fit.slopeSe * DAY : 0;
  const free = cap === null ? null : cap - used;
  return {
    tier,
    usedBytes: used,
    capacityBytes: cap,
    fillPct: cap === null ? null : (100 * used) / cap,
    growthBytesPerDay: perDay,
    daysToFull: free === null || perDay === null ? null : daysAt(free, perDay),
    daysToFullLow: free === null || perDay === null ? null : daysAt(free, perDay + Z95 * seDay),
    daysToFullHigh: free === null || perDay === null ? null : daysAt(free, perDay - Z95 * seDay),
    samples: samples.length,
  };
}
