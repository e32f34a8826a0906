// Honest model selection on a NAB-layout corpus: leave one group out. For each group, the configuration and
// the threshold are chosen on the other groups only, then scored on the held-out one; the held-out figure
// pools those held-out scores (raw points summed, normalized over the pooled windows, as NAB normalizes a
// corpus). A configuration that wins in-sample but not held out is overfit.
import { scoreCorpus, type ProfileName, type ScoredSeries } from './scorer.js';

export interface Candidate {
  name: string;
  series: ScoredSeries[];
}

export interface FoldResult {
  heldOut: string;
  chosen: string;
  threshold: number;
  trainScore: number;
  raw: number;
  nullScore: number;
  perfect: number;
  detected: number;
  windows: number;
  falsePositives: number;
}

export const groupOf = (s: ScoredSeries): string => s.name.split('/')[0] ?? s.name;

export function leaveOneGroupOut(candidates: Candidate[], profile: ProfileName = 'standard'): { folds: FoldResult[]; pooled: number } {
  const groups = [...new Set(candidates[0]?.series.map(groupOf) ?? [])];
  const folds = groups.map((g) => {
    let best: { c: Candidate; score: number; threshold: number } | null = null;
    for (const c of candidates) {
      const s = scoreCorpus(c.series.filter((x) => groupOf(x) !== g), profile);
      if (!best || s.normalized > best.score) best = { c, score: s.normalized, threshold: s.threshold };
    }
    if (!best) throw new Error('no candidates');
    const held = scoreCorpus(best.c.series.filter((x) => groupOf(x) === g), profile, best.threshold);
    return {
      heldOut: g,
      chosen: best.c.name,
      threshold: best.threshold,
      trainScore: best.score,
      raw: held.raw,
      nullScore: held.nullScore,
      perfect: held.perfect,
      detected: held.detectedWindows,
      windows: held.windows,
      falsePositives: held.falsePositives,
    };
  });
  const raw = folds.reduce((s, f) => s + f.raw, 0);
  const nul = folds.reduce((s, f) => s + f.nullScore, 0);
  const perfect = folds.reduce((s, f) => s + f.perfect, 0);
  return { folds, pooled: perfect > nul ? (100 * (raw - nul)) / (perfect - nul) : 0 };
}
