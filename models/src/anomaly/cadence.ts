/**
 * Passes at most one sample per `everyMs` of sample time (0: every sample). The detector's windows, warm-up
 * and rest are counted in samples, and eval:fleet measured its alert gates at one sample per 120 s; live
 * scanners report every 10 s, where the same detector fits its network on 67 minutes of data and cries wolf
 * (docs/models.md, section 5). Scoring live readings at the measured cadence keeps the measured behaviour.
 */
export class Cadence {
  private last = Number.NEGATIVE_INFINITY;
  constructor(private readonly everyMs: number) {}

  due(ts: number): boolean {
    if (ts - this.last < this.everyMs) return false;
    this.last = ts;
    return true;
  }
}
