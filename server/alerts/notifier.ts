// Routing and noise control for notifications: routes by site, severity and role; one notification per
// group (route + groupBy values) after the group wait; deduplication against what was already notified
// (kept on the alert, so it survives a restart); reminders while firing and unacknowledged; escalation to
// the next route after a timeout; retries with exponential back-off; a delivery log per alert.
import type { Alert, DeliveryRecord } from '../../contracts/alerts.js';
import type { Channel, Route } from '../../contracts/alert-rules.js';
import type { Logger } from '../../lib/logger.js';
import { ChannelSender } from './channels.js';
import { toMs } from './duration.js';
import { severityRank, type AlertBook, type AlertChange } from './lifecycle.js';
import { renderGroup } from './templates.js';

export interface NotifierOptions {
  dashboardUrl: string; maxAttempts: number; retryBaseMs: number; deliveryLogSize: number;
  /** Asked before every delivery attempt; false drops the delivery (a cluster instance that stopped leading). */
  mayDeliver?: () => Promise<boolean>;
}
type Reason = DeliveryRecord['reason'];
interface Group { route: Route; reason: Reason; alerts: Map<string, Alert>; timer: NodeJS.Timeout }

export const isSuppressed = (a: Alert) => Boolean(a.silenced || a.maintenance || a.flapping);

function routeMatches(r: Route, a: Alert): boolean {
  const m = r.match;
  if (!m) return true;
  if (m.site && !m.site.includes(a.site)) return false;
  if (m.severity && !m.severity.includes(a.severity)) return false;
  if (m.role && !m.role.some((role) => a.roles?.includes(role))) return false;
  return true;
}

export class Notifier {
  private routes: Route[] = [];
  private channels = new Map<string, Channel>();
  private readonly groups = new Map<string, Group>();
  private readonly log = new Map<string, DeliveryRecord[]>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly sender = new ChannelSender();
  private readonly abort = new AbortController();

  constructor(
    private readonly opts: NotifierOptions,
    private readonly book: AlertBook,
    private readonly logger: Logger,
    private readonly onDelivery: (d: DeliveryRecord) => void,
  ) {}

  setRoutes(routes: Route[], channels: Channel[]): void {
    this.routes = routes;
    this.channels = new Map(channels.map((c) => [c.id, c]));
  }

  deliveries(alertId: string): DeliveryRecord[] {
    return this.log.get(alertId) ?? [];
  }

  onChange({ alert, reason }: AlertChange, now = Date.now()): void {
    if (reason === 'notified' || reason === 'escalated' || reason === 'pending' || reason === 'cancelled' || isSuppressed(alert)) return;
    let why: Reason | undefined;
    if (alert.state === 'firing' || (alert.state === 'acknowledged' && reason === 'severity')) {
      if (alert.notifiedState !== 'firing') why = 'firing';
      else if (alert.notifiedSeverity && severityRank(alert.severity) > severityRank(alert.notifiedSeverity)) why = 'severity';
    } else if (alert.state === 'resolved' && alert.notifiedState === 'firing') why = 'resolved';
    if (!why) return;
    const routes = this.routes.filter((r) => !r.escalationOnly && routeMatches(r, alert));
    for (const r of routes) this.enqueue(r, why, alert);
    this.book.patch(alert.id, { notifiedState: alert.state === 'resolved' ? 'resolved' : 'firing', notifiedSeverity: alert.severity, notifiedAt: now }, 'notified', now);
  }

  /** Reminders and escalations; called on every tick. */
  tick(now = Date.now()): void {
    for (const a of this.book.active.values()) {
      if (a.state !== 'firing' || isSuppressed(a) || a.notifiedState !== 'firing') continue;
      const routes = this.routes.filter((r) => (!r.escalationOnly && routeMatches(r, a)) || a.escalatedTo?.includes(r.id));
      for (const r of routes) {
        const repeat = toMs(r.repeatEvery);
        if (repeat > 0 && now - (a.notifiedAt ?? 0) >= repeat) {
          this.enqueue(r, 'reminder', a);
          this.book.patch(a.id, { notifiedAt: now }, 'notified', now);
        }
        const after = toMs(r.escalateAfter);
        const next = r.escalateTo ? this.routes.find((x) => x.id === r.escalateTo) : undefined;
        if (next && after > 0 && now - (a.firedAt ?? a.startsAt) >= after && !a.escalatedTo?.includes(next.id)) {
          this.enqueue(next, 'escalation', a);
          this.book.patch(a.id, { escalatedTo: [...(a.escalatedTo ?? []), next.id] }, 'escalated', now);
        }
      }
    }
  }

  async stop(): Promise<void> {
    for (const g of this.groups.values()) clearTimeout(g.timer);
    this.groups.clear();
    this.abort.abort();
    await Promise.allSettled([...this.inflight]);
    this.sender.close();
  }

  private enqueue(route: Route, reason: Reason, alert: Alert): void {
    const key = [route.id, reason, ...(route.groupBy ?? ['scannerId']).map((k) => alert[k])].join('|');
    const g = this.groups.get(key);
    if (g) { g.alerts.set(alert.id, { ...alert }); return; }
    const alerts = new Map([[alert.id, { ...alert }]]);
    const timer = setTimeout(() => { this.groups.delete(key); this.dispatch(route, reason, [...alerts.values()]); }, toMs(route.groupWait));
    this.groups.set(key, { route, reason, alerts, timer });
  }

  private dispatch(route: Route, reason: Reason, alerts: Alert[]): void {
    const content = renderGroup(alerts, reason, this.opts.dashboardUrl, Date.now());
    for (const channelId of route.channels) {
      const channel = this.channels.get(channelId);
      if (!channel) continue;
      const p = this.deliver(channel, route, content).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
  }

  private async deliver(channel: Channel, route: Route, content: ReturnType<typeof renderGroup>): Promise<void> {
    const alertIds = content.alerts.map((a) => a.id);
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      if (this.opts.mayDeliver && !(await this.opts.mayDeliver())) {
        this.logger.warn({ channel: channel.id, route: route.id, alertIds }, 'notification not sent: this instance no longer leads the cluster');
        return;
      }
      const res = await this.sender.send(channel, content, route.id);
      const rec: DeliveryRecord = { ts: Date.now(), alertIds, routeId: route.id, channelId: channel.id, channelType: channel.type, reason: content.reason, attempt, ok: res.ok, detail: res.detail };
      this.record(rec);
      if (res.ok) return;
      if (attempt === this.opts.maxAttempts || this.abort.signal.aborted) {
        this.logger.warn({ channel: channel.id, route: route.id, alertIds, detail: res.detail, attempt }, 'notification failed, giving up');
        return;
      }
      const delay = this.opts.retryBaseMs * 2 ** (attempt - 1);
      const aborted = await new Promise<boolean>((r) => {
        const t = setTimeout(() => r(false), delay);
        this.abort.signal.addEventListener('abort', () => { clearTimeout(t); r(true); }, { once: true });
      });
      if (aborted) return;
    }
  }

  /** Puts back delivery records rebuilt from storage. */
  restore(records: DeliveryRecord[]): void {
    for (const r of records) this.record(r, false);
  }

  private record(rec: DeliveryRecord, store = true): void {
    for (const id of rec.alertIds) {
      const list = this.log.get(id) ?? [];
      list.push(rec);
      if (list.length > 100) list.shift();
      this.log.delete(id);
      this.log.set(id, list);
    }
    while (this.log.size > this.opts.deliveryLogSize) this.log.delete(this.log.keys().next().value as string);
    if (store) this.onDelivery(rec);
  }
}
