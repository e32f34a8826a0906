// Feature encoding of the RUL model: a unit's history becomes one fixed-length vector per cycle.
// A unit is prepared once (normalized, optionally smoothed, prefix sums for O(1) trailing statistics),
// so encoding every cycle of a training unit costs O(features) per cycle, not O(history).

/** The feature switches of RulConfig (all optional: artifacts saved before a switch existed load as trained). */
export interface FeatureConfig {
  window: number;
  /** Legacy: per column slope over the window and mean of the last 5 rows, and age / 200. */
  trendFeatures?: boolean;
  /**
   * Causal exponential smoothing factor (0 < alpha <= 1) applied to every column before the window is
   * taken; 0 or absent: raw rows. C-MAPSS sensors carry noise as large as a third of their whole wear drift.
   */
  smoothing?: number;
  /**
   * Trailing lengths (cycles) over which the mean and least-squares slope of every column are appended;
   * wear drifts slowly, and a slope over 60+ cycles sees it where 30 noisy rows do not.
   */
  summaries?: number[];
  /** Appends per column the trailing 10-row mean minus the unit's first-20-row mean (its own baseline). */
  baseline?: boolean;
  /** Appends the unit's age (rows seen / 200): old units have less life left. */
  age?: boolean;
}

export interface Normalizer {
  columns: number[];
  center: number[];
  scale: number[];
}

/** A unit ready for encoding: normalized values (n x f, row-major), smoothed copy, prefix sums. */
export interface PreparedUnit {
  n: number;
  f: number;
  values: Float32Array;
  smoothed: Float32Array;
  /** Prefix sums per column of v and of t*v, (n+1) x f: trailing means and slopes in O(1). */
  sumV: Float64Array;
  sumTV: Float64Array;
}

export function featureCount(config: FeatureConfig, f: number): number {
  let n = config.window * f;
  if (config.trendFeatures === true) n += 2 * f + 1;
  n += 2 * f * (config.summaries?.length ?? 0);
  if (config.baseline === true) n += f;
  if (config.age === true) n += 1;
  return n;
}

export function prepareUnit(rows: number[][], norm: Normalizer, smoothing = 0): PreparedUnit {
  const n = rows.length;
  const f = norm.columns.length;
  const values = new Float32Array(n * f);
  const smoothed = new Float32Array(n * f);
  const sumV = new Float64Array((n + 1) * f);
  const sumTV = new Float64Array((n + 1) * f);
  for (let t = 0; t < n; t++) {
    const row = rows[t]!;
    for (let j = 0; j < f; j++) {
      const v = (row[norm.columns[j]!]! - norm.center[j]!) / norm.scale[j]!;
      values[t * f + j] = v;
      smoothed[t * f + j] = t === 0 || smoothing <= 0 ? v : smoothing * v + (1 - smoothing) * smoothed[(t - 1) * f + j]!;
      sumV[(t + 1) * f + j] = sumV[t * f + j]! + v;
      sumTV[(t + 1) * f + j] = sumTV[t * f + j]! + t * v;
    }
  }
  return { n, f, values, smoothed, sumV, sumTV };
}

/** Mean and least-squares slope (per 10 cycles) of column j over rows [a, b). */
function trailing(p: PreparedUnit, j: number, a: number, b: number): [number, number] {
  const m = b - a;
  const sv = p.sumV[b * p.f + j]! - p.sumV[a * p.f + j]!;
  if (m < 2) return [sv / Math.max(1, m), 0];
  const stv = p.sumTV[b * p.f + j]! - p.sumTV[a * p.f + j]!;
  const st = (m * (a + b - 1)) / 2;
  const stt = ((b - 1) * b * (2 * b - 1) - (a - 1) * a * (2 * a - 1)) / 6;
  const den = m * stt - st * st;
  return [sv / m, den > 0 ? (10 * (m * stv - st * sv)) / den : 0];
}

/**
 * Features of the unit after its first `end` rows. Units shorter than the window are padded with their
 * first row, as test units can be cut after a few cycles.
 */
export function encodePrepared(p: PreparedUnit, end: number, config: FeatureConfig, out: Float32Array): Float32Array {
  const { f } = p;
  const w = config.window;
  const src = (config.smoothing ?? 0) > 0 ? p.smoothed : p.values;
  for (let k = 0; k < w; k++) {
    const t = Math.max(0, end - w + k);
    for (let j = 0; j < f; j++) out[k * f + j] = src[t * f + j]!;
  }
  let o = w * f;
  if (config.trendFeatures === true) o = legacyTrend(p, end, w, out, o);
  for (const len of config.summaries ?? []) {
    const a = Math.max(0, end - len);
    for (let j = 0; j < f; j++) {
      const [mean, slope] = trailing(p, j, a, end);
      out[o++] = mean;
      out[o++] = slope;
    }
  }
  if (config.baseline === true) {
    for (let j = 0; j < f; j++) out[o++] = trailing(p, j, Math.max(0, end - 10), end)[0] - trailing(p, j, 0, Math.min(end, 20))[0];
  }
  if (config.age === true) out[o] = end / 200;
  return out;
}

/** The first trend features (kept so artifacts trained with them score as they were trained). */
function legacyTrend(p: PreparedUnit, end: number, w: number, out: Float32Array, o: number): number {
  const f = p.f;
  const n = Math.min(w, end);
  for (let j = 0; j < f; j++) {
    out[o + 2 * j] = n > 1 ? trailing(p, j, end - n, end)[1] : 0;
    let recent = 0;
    for (let k = w - Math.min(5, n); k < w; k++) recent += out[k * f + j]!;
    out[o + 2 * j + 1] = recent / Math.min(5, n);
  }
  out[o + 2 * f] = end / 200;
  return o + 2 * f + 1;
}
