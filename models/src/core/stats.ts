/** Fixed-capacity FIFO of numbers with O(1) running sum and sum of squares. */
export class RollingWindow {
  private readonly buf: Float64Array;
  private start = 0;
  private count = 0;
  private sum = 0;
  private sumSq = 0;

  constructor(readonly capacity: number) {
    this.buf = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.count === this.capacity) {
      const old = this.buf[this.start]!;
      this.sum -= old;
      this.sumSq -= old * old;
      this.buf[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
    } else {
      this.buf[(this.start + this.count) % this.capacity] = v;
      this.count++;
    }
    this.sum += v;
    this.sumSq += v * v;
  }

  get size(): number {
    return this.count;
  }

  mean(): number {
    return this.count ? this.sum / this.count : 0;
  }

  std(): number {
    if (this.count < 2) return 0;
    const m = this.mean();
    return Math.sqrt(Math.max(0, this.sumSq / this.count - m * m));
  }

  /** Oldest-first copy. */
  values(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.buf[(this.start + i) % this.capacity]!);
    return out;
  }
}

/** Abramowitz-Stegun 7.1.26; accurate to ~1e-7, enough for tail probabilities. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const r = poly * Math.exp(-z * z);
  return x >= 0 ? r : 2 - r;
}

/** Upper tail of the standard normal. */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Maps a tail probability to [0, 1] on a log scale, so 1e-5 and 1e-9 stay distinguishable
 * (the scaling Numenta's anomaly likelihood reports).
 */
export function logScore(tail: number): number {
  const clipped = Math.min(1, Math.max(1e-10, tail + 1e-10));
  return Math.min(1, Math.log(clipped) / Math.log(1e-10));
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Turns a non-negative signal (a prediction error, a deviation) into a calibrated tail probability:
 * the short-term mean of the signal is compared with the distribution of the signal over a long
 * history of such means (as Numenta's anomaly likelihood does). Averaging lets sustained small
 * deviations surface, not just spikes.
 */
export class TailCalibrator {
  private readonly history: RollingWindow;
  private readonly recent: RollingWindow;

  /**
   * `minStd` is in the signal's own units. Both stages feed standardized signals, so a fixed floor
   * stops a flat stretch (std ~0) from turning the next tiny change into a certain anomaly.
   */
  constructor(historySize: number, readonly shortSize: number, private readonly minHistory: number, private readonly minStd = 0.05) {
    this.history = new RollingWindow(historySize);
    this.recent = new RollingWindow(shortSize);
  }

  /** Returns the tail probability of the current short-term mean, then learns it. */
  update(v: number): number {
    this.recent.push(v);
    const avg = this.recent.mean();
    let tail = 1;
    if (this.history.size >= this.minHistory) {
      const sd = Math.max(this.history.std(), this.minStd);
      tail = normalTail((avg - this.history.mean()) / sd);
    }
    // History holds short-term means, not raw samples, so the comparison is like with like.
    this.history.push(avg);
    return tail;
  }

  snapshot(): { mean: number; std: number; n: number } {
    return { mean: this.history.mean(), std: this.history.std(), n: this.history.size };
  }

  seed(values: number[]): void {
    for (const v of values) this.history.push(v);
  }
}
