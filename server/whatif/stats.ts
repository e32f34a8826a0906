// Sampling and summary statistics for the what-if twin: duration distributions, a string-seeded stream
// factory (so each modality and scanner draws from its own stream: common random numbers across scenarios)
// and Student-t confidence intervals over replications.
import type { DurationModel } from '../../contracts/whatif.js';
import { gaussian, seededRandom } from '../../lib/random.js';

export type Rand = () => number;

/** An independent stream per (seed, name): FNV-1a of the name mixed with the seed. */
export function stream(seed: number, name: string): Rand {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return seededRandom(h >>> 0);
}

export function exponential(rand: Rand, mean: number): number {
  return -Math.log(1 - rand()) * mean;
}

/** One duration in hours. Lognormal is parameterised by its mean and coefficient of variation. */
export function sampleHours(rand: Rand, d: DurationModel): number {
  const mean = d.meanMinutes / 60;
  if (d.distribution === 'exponential') return exponential(rand, mean);
  if (d.distribution === 'fixed' || d.cv <= 0) return mean;
  const sigma2 = Math.log(1 + d.cv * d.cv);
  return mean * Math.exp(Math.sqrt(sigma2) * gaussian(rand) - sigma2 / 2);
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

// Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
  2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[df - 1] as number;
  const z = 1.959964; // Cornish-Fisher expansion beyond the table; error < 1e-3 for df > 30
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

export interface Interval { mean: number; ciLow: number; ciHigh: number }

/** Mean with a 95 % confidence interval over independent replications (NaN when no value is finite). */
export function estimate(xs: readonly number[]): Interval {
  const finite = xs.filter(Number.isFinite);
  const m = mean(finite);
  if (finite.length < 2) return { mean: m, ciLow: m, ciHigh: m };
  const variance = finite.reduce((a, x) => a + (x - m) ** 2, 0) / (finite.length - 1);
  const half = t975(finite.length - 1) * Math.sqrt(variance / finite.length);
  return { mean: m, ciLow: m - half, ciHigh: m + half };
}
