// The first alert rule: an MRI's helium level below a limit. It fires at once and clears only when the
// level is back above limit + hysteresis, so a level hovering at the limit does not flap.
import type { Alert, TelemetryReading } from '../../contracts/index.js';
import type { EventBus } from '../lib/event-bus.js';

export interface HeliumRuleOptions { limitPct: number; hysteresisPct: number }

const METRIC = 'helium_level_pct';
const RULE_ID = 'mri-helium-low';

export class HeliumThresholdRule {
  private readonly active = new Map<string, Alert>();
  private readonly resolved: Alert[] = [];
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly bus: EventBus, private readonly opts: HeliumRuleOptions) {}

  start(): void {
    this.unsubscribe = this.bus.on('telemetry', (r) => this.evaluate(r));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Open alerts first, then the most recent resolved ones. */
  list(): Alert[] {
    return [...this.active.values(), ...this.resolved.slice(-50).reverse()];
  }

  private evaluate(r: TelemetryReading): void {
    if (r.modality !== 'mri') return;
    const level = r.metrics[METRIC];
    if (level === undefined) return;
    const id = `${RULE_ID}:${r.scannerId}`;
    const current = this.active.get(id);
    if (!current && level < this.opts.limitPct) {
      const alert: Alert = {
        id, ruleId: RULE_ID, site: r.site, modality: r.modality, scannerId: r.scannerId, metric: METRIC,
        severity: 'critical', state: 'firing', value: level, threshold: this.opts.limitPct, startsAt: r.ts,
        message: `Helium level ${level.toFixed(1)} % is below ${this.opts.limitPct} % on ${r.scannerId} (${r.site})`,
      };
      this.active.set(id, alert);
      this.bus.emit('alert', alert);
    } else if (current && level >= this.opts.limitPct + this.opts.hysteresisPct) {
      const alert: Alert = {
        ...current, state: 'resolved', value: level, endsAt: r.ts,
        message: `Helium level recovered to ${level.toFixed(1)} % on ${r.scannerId} (${r.site})`,
      };
      this.active.delete(id);
      this.resolved.push(alert);
      if (this.resolved.length > 200) this.resolved.splice(0, this.resolved.length - 200);
      this.bus.emit('alert', alert);
    }
  }
}
