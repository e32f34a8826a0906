// Pure pieces of rule evaluation: scope matching, per-target overrides, level judgement with hysteresis,
// and rate of change over a window. Anomaly and forecast gating live in models/src/alerting/gating.ts, shared
// with eval:fleet.
import type { AlertRule, RuleScope } from '../../contracts/alert-rules.js';
import type { Severity } from '../../contracts/common.js';

export interface Target { site: string; modality: string; scannerId: string; labels?: Record<string, string> }

export function inScope(scope: RuleScope | undefined, t: Target): boolean {
  if (!scope) return true;
  if (scope.site && !scope.site.includes(t.site)) return false;
  if (scope.modality && !scope.modality.includes(t.modality)) return false;
  if (scope.scannerId && !scope.scannerId.includes(t.scannerId)) return false;
  if (scope.labels) {
    for (const [k, v] of Object.entries(scope.labels)) if (t.labels?.[k] !== v) return false;
  }
  return true;
}

/** The rule as it applies to one scanner or PACS: its override merged over it. */
export function effective<R extends AlertRule>(rule: R, targetId: string): R {
  const o = rule.overrides?.[targetId];
  return o ? { ...rule, ...o } : rule;
}

export interface Levels { op: 'above' | 'below'; warning?: number; critical?: number; recover?: number }
export type Verdict = { state: 'active'; severity: Severity; threshold: number } | { state: 'hold' } | { state: 'clear' };

const HOLD: Verdict = { state: 'hold' };
const CLEAR: Verdict = { state: 'clear' };

/**
 * Active past a level; clear only once back past the recovery level; in between, hold. Runs for every
 * value of every reading, so it allocates nothing and creates no closures in the normal case.
 */
export function judge(l: Levels, value: number): Verdict {
  const above = l.op === 'above';
  if (l.critical !== undefined && (above ? value > l.critical : value < l.critical)) return { state: 'active', severity: 'critical', threshold: l.critical };
  if (l.warning !== undefined && (above ? value > l.warning : value < l.warning)) return { state: 'active', severity: 'warning', threshold: l.warning };
  const recover = l.recover ?? (l.warning ?? l.critical) as number;
  return (above ? value <= recover : value >= recover) ? CLEAR : HOLD;
}

/** Samples of one series inside a time window; gives the slope scaled to `perMs`. */
export class RateWindow {
  private readonly ts: number[] = [];
  private readonly vs: number[] = [];
  constructor(private readonly windowMs: number) {}

  /** Adds a sample; returns the rate once the window spans at least half its length, else undefined. */
  add(ts: number, value: number, perMs: number): number | undefined {
    if (this.ts.length > 0 && ts <= (this.ts[this.ts.length - 1] as number)) return undefined;
    this.ts.push(ts);
    this.vs.push(value);
    while (this.ts.length > 2 && ts - (this.ts[0] as number) > this.windowMs) { this.ts.shift(); this.vs.shift(); }
    const span = ts - (this.ts[0] as number);
    if (span < this.windowMs / 2) return undefined;
    return ((value - (this.vs[0] as number)) / span) * perMs;
  }
}
