// Alert gating: when an anomaly score stream or a forecast stream becomes an alert, and when that alert
// ends. One implementation, used by the live alert engine (server/alerts/engine.ts, rules of kind anomaly
// and predictive) and by eval:fleet (models/src/fleet/), so the false-alarm and lead-time figures measured
// offline are those of the alerts the server raises. Pure: no clocks, no I/O; time comes with each input.

/**
 * What the caller does with the alert after an input: open (or refresh) it, keep it as it is (open or not),
 * or end it. Verdicts are levels, not transitions, so an alert restored from storage after a restart still
 * ends when its condition does; `opened` marks the transition.
 */
export type GateVerdict = 'raise' | 'hold' | 'clear';

export interface GateStep {
  verdict: GateVerdict;
  /** True on the input that opened the alert (closed → open): one page. */
  opened: boolean;
}

export interface AnomalyGateConfig {
  /** Anomalous samples (raw score at or above the level) needed among the last `m` scores. */
  n: number;
  /** Scores the count looks back over. */
  m: number;
  /** The alert ends once at most this many of the last `m` scores are anomalous. */
  recoverN: number;
}

/**
 * "n anomalous among the last m scores", counted on the detector's raw score (DetectorResult.rawScore, sent
 * as AnomalyScore.rawScore). The reported score rests after a detection (zero for `rest` samples: one event,
 * one detection), so counting it, a fault that persists is seen once per rest and n ≥ 2 within m ≤ rest
 * samples can never be reached; the raw score stays high for as long as the sample looks anomalous, so a
 * fault that persists fills the window and a blip (a few samples) does not.
 */
export class AnomalyGate {
  private readonly bits: Uint8Array;
  private next = 0;
  private seen = 0;
  private count = 0;
  private open = false;

  constructor(readonly config: AnomalyGateConfig) {
    this.bits = new Uint8Array(Math.max(1, config.m));
  }

  /** Anomalous samples among the last m scores, after the latest update. */
  get detections(): number {
    return this.count;
  }

  update(anomalous: boolean): GateStep {
    const { n, recoverN } = this.config;
    if (this.seen >= this.bits.length) this.count -= this.bits[this.next]!;
    else this.seen++;
    this.bits[this.next] = anomalous ? 1 : 0;
    this.count += anomalous ? 1 : 0;
    this.next = (this.next + 1) % this.bits.length;
    if (this.count >= n) {
      const opened = !this.open;
      this.open = true;
      return { verdict: 'raise', opened };
    }
    if (this.count <= recoverN) {
      this.open = false;
      return { verdict: 'clear', opened: false };
    }
    return { verdict: 'hold', opened: false };
  }
}

export interface ForecastGateConfig {
  /** A forecast is inside when its late bound (or, without a band, its time to the limit) is within this. */
  horizonMs: number;
  /** The forecast must stay inside for this long (every forecast in between inside) before the alert opens. */
  persistMs: number;
  /** An open alert ends when the forecast goes away or its time to the limit exceeds this. */
  recoverHorizonMs: number;
}

export interface ForecastInput {
  /** Time to the limit; null: no confident crossing any more. */
  etaMs: number | null;
  /** Late bound of the forecast's band, when it has one. */
  highMs?: number;
  ts: number;
}

/**
 * Forecast persistence. A short trend fit on a noisy or load-following metric can point at the limit for
 * one forecast and away at the next (an exam ramp, the upswing of a daily cycle); a real leak or drift keeps
 * pointing at it. The alert opens only after the forecast has been inside the horizon without a break for
 * `persistMs`, and ends with hysteresis (`recoverHorizonMs`), so it does not flap at the horizon's edge.
 */
export class ForecastGate {
  private insideSince: number | null = null;
  private open = false;

  constructor(readonly config: ForecastGateConfig) {}

  update(f: ForecastInput): GateStep {
    const { horizonMs, persistMs, recoverHorizonMs } = this.config;
    const reach = f.highMs ?? f.etaMs;
    if (f.etaMs !== null && reach !== null && reach <= horizonMs) {
      this.insideSince ??= f.ts;
      if (f.ts - this.insideSince >= persistMs) {
        const opened = !this.open;
        this.open = true;
        return { verdict: 'raise', opened };
      }
      return { verdict: 'hold', opened: false };
    }
    this.insideSince = null;
    if (f.etaMs === null || f.etaMs > recoverHorizonMs) {
      this.open = false;
      return { verdict: 'clear', opened: false };
    }
    return { verdict: 'hold', opened: false };
  }
}
