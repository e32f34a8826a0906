/**
 * NAB scoring (Lavin & Ahmad 2015, NAB v1.1 sweeper rules), written from the published description:
 * scaled-sigmoid weighting relative to window edges, a 15 % probation (capped at 750 rows), only the
 * best (earliest) detection per window counts, and the threshold is chosen per profile for the whole
 * corpus by an exhaustive sweep over every distinct score (as NAB's current sweeper does; its first
 * releases hill-climbed).
 */

export interface CostProfile {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export const NAB_PROFILES = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
} as const satisfies Record<string, CostProfile>;

export type ProfileName = keyof typeof NAB_PROFILES;

export interface ScoredSeries {
  name: string;
  timestamps: number[];
  scores: number[];
  /** Inclusive [start, end] timestamps in ms, sorted, non-overlapping. */
  windows: Array<[number, number]>;
}

/** One row after weighting; window is null outside windows, 'probation' inside the probation period. */
export interface SweepPoint {
  score: number;
  sweepScore: number;
  window: string | null;
}

export function scaledSigmoid(position: number): number {
  if (position >= 3) return -1;
  return 2 / (1 + Math.exp(5 * position)) - 1;
}

export function probationLength(rows: number, percent = 0.15): number {
  return Math.min(Math.floor(percent * rows), percent * 5000);
}

/** Maps timestamp windows onto row indices; rows are matched by time, not by exact string. */
export function windowIndices(timestamps: number[], windows: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [start, end] of windows) {
    const a = timestamps.findIndex((t) => t >= start);
    let b = -1;
    for (let i = timestamps.length - 1; i >= 0; i--) {
      if (timestamps[i]! <= end) {
        b = i;
        break;
      }
    }
    if (a >= 0 && b >= a) out.push([a, b]);
  }
  return out;
}

export function sweepSeries(series: ScoredSeries, profile: CostProfile): SweepPoint[] {
  const n = series.timestamps.length;
  if (series.scores.length !== n) throw new Error(`${series.name}: ${series.scores.length} scores for ${n} rows`);
  const maxTP = scaledSigmoid(-1);
  const probation = probationLength(n);
  const idx = windowIndices(series.timestamps, series.windows);
  const points: SweepPoint[] = [];
  let w = 0;
  let prevRight = -1;
  let prevWidth = 0;
  for (let i = 0; i < n; i++) {
    const cur = idx[w];
    const inside = cur !== undefined && i >= cur[0] && i <= cur[1];
    let sweepScore: number;
    let window: string | null = null;
    if (inside) {
      const width = cur[1] - cur[0] + 1;
      sweepScore = (scaledSigmoid(-(cur[1] - i + 1) / width) * profile.tpWeight) / maxTP;
      window = `${series.name}|${cur[0]}`;
    } else {
      // NAB divides by (width - 1); a one-row window would divide by zero, so treat it as width 2.
      const pos = prevRight < 0 ? 3 : Math.abs(prevRight - i) / Math.max(1, prevWidth - 1);
      sweepScore = scaledSigmoid(pos) * profile.fpWeight;
    }
    points.push({ score: series.scores[i]!, sweepScore, window: i >= probation ? window : 'probation' });
    if (inside && i === cur[1]) {
      prevRight = i;
      prevWidth = cur[1] - cur[0] + 1;
      w++;
    }
  }
  return points;
}

export interface CorpusScore {
  profile: ProfileName;
  threshold: number;
  raw: number;
  nullScore: number;
  perfect: number;
  normalized: number;
  windows: number;
  detectedWindows: number;
  falsePositives: number;
}

/** Raw score of the corpus at every distinct threshold; a row fires when score >= threshold. */
export function sweepThresholds(points: SweepPoint[], profile: CostProfile): Array<{ threshold: number; raw: number; detected: number; fp: number }> {
  const scorable = points.filter((p) => p.window !== 'probation').sort((a, b) => b.score - a.score);
  const best = new Map<string, number>();
  for (const p of scorable) if (p.window !== null) best.set(p.window, -profile.fnWeight);
  let raw = -profile.fnWeight * best.size;
  let detected = 0;
  let fp = 0;
  const out = [{ threshold: Number.POSITIVE_INFINITY, raw, detected, fp }];
  for (let i = 0; i < scorable.length; i++) {
    const p = scorable[i]!;
    if (p.window === null) {
      raw += p.sweepScore;
      fp++;
    } else {
      const prev = best.get(p.window)!;
      if (prev === -profile.fnWeight) detected++;
      if (p.sweepScore > prev) {
        raw += p.sweepScore - prev;
        best.set(p.window, p.sweepScore);
      }
    }
    const next = scorable[i + 1];
    if (next === undefined || next.score !== p.score) out.push({ threshold: p.score, raw, detected, fp });
  }
  return out;
}

export function scoreCorpus(series: ScoredSeries[], profileName: ProfileName, fixedThreshold?: number): CorpusScore {
  const profile = NAB_PROFILES[profileName];
  const points = series.flatMap((s) => sweepSeries(s, profile));
  const curve = sweepThresholds(points, profile);
  const windows = new Set(points.filter((p) => p.window !== null && p.window !== 'probation').map((p) => p.window)).size;
  const nullScore = -profile.fnWeight * windows;
  const perfect = profile.tpWeight * windows;
  let chosen = curve[0]!;
  if (fixedThreshold === undefined) {
    for (const c of curve) if (c.raw > chosen.raw) chosen = c;
  } else {
    for (const c of curve) if (c.threshold >= fixedThreshold) chosen = c;
  }
  const span = perfect - nullScore;
  return {
    profile: profileName,
    threshold: chosen.threshold,
    raw: chosen.raw,
    nullScore,
    perfect,
    normalized: span > 0 ? (100 * (chosen.raw - nullScore)) / span : 0,
    windows,
    detectedWindows: chosen.detected,
    falsePositives: chosen.fp,
  };
}
