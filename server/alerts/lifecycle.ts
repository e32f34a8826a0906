// The alert book: current alerts and their lifecycle pending → firing → acknowledged → resolved, flap
// detection, and the flags other parts set (silenced, maintenance, notified). Every change goes to one
// listener (bus, persistence, notifier); nothing else mutates an alert.
import type { Alert, AlertPrediction } from '../../contracts/alerts.js';
import type { RuleKind } from '../../contracts/alerts.js';
import type { Severity } from '../../contracts/common.js';

export type ChangeReason = 'pending' | 'firing' | 'severity' | 'resolved' | 'cancelled' | 'acknowledged' | 'flags' | 'notified' | 'escalated';
export interface AlertChange { alert: Alert; reason: ChangeReason }

export interface Raise {
  id: string; ruleId: string; kind: RuleKind; title: string;
  site: string; modality: Alert['modality']; scannerId: string; metric: string; unit?: string;
  labels?: Record<string, string>; roles?: string[];
  value: number; threshold: number; severity: Severity; message: string;
  forMs: number; flapThreshold: number; flapWindowMs: number;
  prediction?: AlertPrediction;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
export const severityRank = (s: Severity) => SEVERITY_RANK[s];

interface FlapState { times: number[]; flapping: boolean; threshold: number; windowMs: number }

export class AlertBook {
  readonly active = new Map<string, Alert>();
  private readonly resolved: Alert[] = [];
  private readonly pendingFor = new Map<string, number>();
  private readonly flaps = new Map<string, FlapState>();

  constructor(private readonly listener: (c: AlertChange) => void, private readonly keepResolved = 200) {}

  /** Open alerts first, then the most recent resolved ones. */
  list(): Alert[] {
    return [...this.active.values(), ...this.resolved.slice().reverse()];
  }

  get(id: string): Alert | undefined {
    return this.active.get(id) ?? this.resolved.findLast((a) => a.id === id);
  }

  /** Puts back alerts rebuilt from storage, without emitting anything. */
  restore(alerts: Alert[]): void {
    for (const a of alerts.sort((x, y) => (x.updatedAt ?? 0) - (y.updatedAt ?? 0))) {
      if (a.state === 'resolved') this.pushResolved(a);
      else this.active.set(a.id, a);
    }
  }

  /** Takes over an alert as another instance of a cluster changed it, without emitting anything. */
  mirror(a: Alert): void {
    if (a.state === 'resolved') {
      this.active.delete(a.id);
      this.pushResolved(a);
    } else if (a.state !== 'pending') this.active.set(a.id, a);
  }

  /** The condition holds now. */
  raise(r: Raise, now: number): void {
    const cur = this.active.get(r.id);
    if (!cur) {
      const alert: Alert = {
        id: r.id, ruleId: r.ruleId, kind: r.kind, title: r.title, site: r.site, modality: r.modality, scannerId: r.scannerId,
        metric: r.metric, severity: r.severity, state: 'pending', value: r.value, threshold: r.threshold, message: r.message,
        startsAt: now, updatedAt: now, flapping: this.flaps.get(r.id)?.flapping ?? false,
        ...(r.unit ? { unit: r.unit } : {}), ...(r.labels ? { labels: r.labels } : {}), ...(r.roles ? { roles: r.roles } : {}),
        ...(r.prediction ? { prediction: r.prediction } : {}),
      };
      this.active.set(r.id, alert);
      this.pendingFor.set(r.id, r.forMs);
      this.flapConfig(r);
      if (r.forMs > 0) this.listener({ alert, reason: 'pending' });
      else this.fire(alert, now);
      return;
    }
    if (cur.state === 'pending') {
      cur.value = r.value;
      cur.message = r.message;
      if (now - cur.startsAt >= (this.pendingFor.get(r.id) ?? 0)) this.fire(cur, now);
      return;
    }
    cur.value = r.value;
    if (r.prediction) cur.prediction = r.prediction;
    if (severityRank(r.severity) > severityRank(cur.severity)) {
      cur.severity = r.severity;
      cur.threshold = r.threshold;
      cur.message = r.message;
      cur.updatedAt = now;
      this.listener({ alert: cur, reason: 'severity' });
    }
  }

  /** The condition no longer holds but has not recovered (hysteresis band): a pending alert is cancelled. */
  hold(id: string, now: number): void {
    const cur = this.active.get(id);
    if (cur?.state === 'pending') this.cancel(cur, now);
  }

  /** The condition recovered. */
  clear(id: string, value: number, message: string, now: number): void {
    const cur = this.active.get(id);
    if (!cur) return;
    if (cur.state === 'pending') { this.cancel(cur, now); return; }
    this.active.delete(id);
    const done: Alert = { ...cur, state: 'resolved', value, message, endsAt: now, updatedAt: now };
    this.recordFlap(id, now, done);
    this.pushResolved(done);
    this.listener({ alert: done, reason: 'resolved' });
  }

  /** Promotes pending alerts whose "for" elapsed; called on every tick. */
  promote(now: number): void {
    for (const a of this.active.values()) {
      if (a.state === 'pending' && now - a.startsAt >= (this.pendingFor.get(a.id) ?? 0)) this.fire(a, now);
    }
  }

  acknowledge(id: string, by: string, comment: string | undefined, now: number): Alert | 'not-found' | 'not-firing' {
    const cur = this.active.get(id);
    if (!cur) return 'not-found';
    if (cur.state !== 'firing') return cur.state === 'acknowledged' ? cur : 'not-firing';
    cur.state = 'acknowledged';
    cur.ackedBy = by;
    cur.ackedAt = now;
    if (comment) cur.ackComment = comment;
    cur.updatedAt = now;
    this.listener({ alert: cur, reason: 'acknowledged' });
    return cur;
  }

  /** Changes flags or bookkeeping on an open alert; emits only when something differs. */
  patch(id: string, patch: Partial<Alert>, reason: ChangeReason, now: number): void {
    const cur = this.active.get(id) ?? this.resolved.findLast((a) => a.id === id);
    if (!cur) return;
    const changed = Object.entries(patch).some(([k, v]) => JSON.stringify(cur[k as keyof Alert]) !== JSON.stringify(v));
    if (!changed) return;
    Object.assign(cur, patch, { updatedAt: now });
    this.listener({ alert: cur, reason });
  }

  /** Ends flapping once the window holds few enough changes; returns the alerts whose flapping ended. */
  decayFlaps(now: number): Alert[] {
    const ended: Alert[] = [];
    for (const [id, f] of this.flaps) {
      f.times = f.times.filter((t) => now - t <= f.windowMs);
      if (f.flapping && f.times.length <= f.threshold) {
        f.flapping = false;
        const a = this.get(id);
        if (a) { a.flapping = false; a.updatedAt = now; this.listener({ alert: a, reason: 'flags' }); ended.push(a); }
      }
      if (!f.flapping && f.times.length === 0 && !this.active.has(id)) this.flaps.delete(id);
    }
    return ended;
  }

  private fire(a: Alert, now: number): void {
    a.state = 'firing';
    a.firedAt = now;
    a.updatedAt = now;
    this.pendingFor.delete(a.id);
    this.recordFlap(a.id, now, a);
    this.listener({ alert: a, reason: 'firing' });
  }

  private cancel(a: Alert, now: number): void {
    this.active.delete(a.id);
    this.pendingFor.delete(a.id);
    this.listener({ alert: { ...a, state: 'resolved', endsAt: now, updatedAt: now }, reason: 'cancelled' });
  }

  private flapConfig(r: Raise): void {
    const f = this.flaps.get(r.id);
    if (f) { f.threshold = r.flapThreshold; f.windowMs = r.flapWindowMs; } else {
      this.flaps.set(r.id, { times: [], flapping: false, threshold: r.flapThreshold, windowMs: r.flapWindowMs });
    }
  }

  private recordFlap(id: string, now: number, a: Alert): void {
    const f = this.flaps.get(id);
    if (!f) return;
    f.times = f.times.filter((t) => now - t <= f.windowMs);
    f.times.push(now);
    if (f.times.length > f.threshold) f.flapping = true;
    a.flapping = f.flapping;
  }

  private pushResolved(a: Alert): void {
    this.resolved.push(a);
    if (this.resolved.length > this.keepResolved) this.resolved.splice(0, this.resolved.length - this.keepResolved);
  }
}
