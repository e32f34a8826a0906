/**
 * Contextual novelty over a discretized recent history, the idea behind CAD OSE (Smirnov's Contextual
 * Anomaly Detector, second on the NAB scoreboard), written from its published description: the value is
 * reduced to a few coarse levels, and a sample is anomalous when the sequence of levels leading up to it
 * has never been followed by its level before — at every context length at once. Coarse levels make a
 * noisy but regular series repeat itself quickly (so it stops looking new), while a new extreme, a
 * changed rhythm or a missing peak produces contexts never seen before.
 *
 * Unlike CAD, the value range is learned online (no look-ahead): a value outside the range seen so far
 * falls in its own level beyond the ends, which is itself a novelty.
 */

export interface ContextNoveltyConfig {
  /** Number of value levels across the range seen so far. */
  levels: number;
  /** Longest context (levels before the current one) that is checked. */
  order: number;
  /**
   * Smallest meaningful change (metric units; 0: none). A count or flag moves in whole steps: levels are at
   * least two steps wide and the known range reaches two steps past every value seen, so the first 1 of a
   * count that was always 0 is not a new level, while a burst of 8 is.
   */
  resolution: number;
  /** Upper bound on remembered contexts (levels + 3)^(order + 1) must stay below 2^53 for exact keys; the oldest are forgotten first (bounded memory for live streams). */
  maxContexts: number;
}

export const DEFAULT_CONTEXT_CONFIG: ContextNoveltyConfig = { levels: 12, order: 6, resolution: 0, maxContexts: 200_000 };

export class ContextNovelty {
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private readonly past: number[] = [];
  private readonly seen = new Map<number, number>();
  private readonly config: ContextNoveltyConfig;

  constructor(config: Partial<ContextNoveltyConfig> = {}) {
    this.config = { ...DEFAULT_CONTEXT_CONFIG, ...config };
    const { levels, order } = this.config;
    if ((levels + 3) ** (order + 1) > Number.MAX_SAFE_INTEGER) throw new RangeError(`contexts of ${levels} levels x ${order + 1} do not fit an exact number key`);
  }

  /** Level of a value against the range seen so far; -1 / levels when outside it. */
  level(v: number): number {
    if (!(this.hi > this.lo)) return 0;
    const { levels, resolution } = this.config;
    if (v < this.lo) return -1;
    if (v > this.hi) return levels;
    const width = Math.max((this.hi - this.lo) / levels, 2 * resolution);
    return Math.min(levels - 1, Math.floor((v - this.lo) / width));
  }

  /**
   * Share of context lengths 1..order whose context was never followed by the current level, in [0, 1];
   * then learns the sample. A context seen for the first time counts as novel too.
   */
  update(v: number): number {
    const b = this.level(v);
    const { order } = this.config;
    let novel = 0;
    let checked = 0;
    // A context is a number: levels shifted to 1..levels+2 as digits in base levels+3, so contexts of
    // different lengths never collide and Map lookups avoid building strings (the per-sample budget is µs).
    const base = this.config.levels + 3;
    let key = b + 2;
    let place = base;
    for (let n = 1; n <= order; n++) {
      const prev = this.past[this.past.length - n];
      if (prev === undefined) break;
      key += (prev + 2) * place;
      place *= base;
      checked++;
      if (!this.seen.has(key)) novel++;
      this.remember(key);
    }
    this.past.push(b);
    if (this.past.length > order) this.past.shift();
    const pad = 2 * this.config.resolution;
    if (v - pad < this.lo) this.lo = v - pad;
    if (v + pad > this.hi) this.hi = v + pad;
    return checked === 0 ? 0 : novel / order;
  }

  private remember(key: number): void {
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    if (this.seen.size > this.config.maxContexts) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}
