// The alerting service: rules from YAML (hot-reloaded), the engine, the alert book, silences and
// maintenance windows, notifications and persistence, wired to the event bus. The platform constructs one;
// the API routes talk to it through the methods below.
import { join } from 'node:path';
import type { Alert, DeliveryRecord } from '../../contracts/alerts.js';
import type { RulesResponse } from '../../contracts/alert-rules.js';
import type { MaintenanceInput, MaintenanceWindow, Silence, SilenceInput } from '../../contracts/alert-silences.js';
import type { TelemetryReading } from '../../contracts/telemetry.js';
import type { Config } from '../config/schema.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { Logger } from '../../lib/logger.js';
import type { InfluxStore } from '../storage/influx.js';
import { AlertEngine } from './engine.js';
import { AlertBook, type AlertChange } from './lifecycle.js';
import { Notifier } from './notifier.js';
import { AlertStore } from './persistence.js';
import { RulesLoader, type RuleSet } from './rules-loader.js';
import { Suppressions } from './suppression.js';
import type { AlertCluster, AlertCommand, ReplicatedChange } from './replication.js';

export interface AlertingDeps { bus: EventBus; influx: InfluxStore; log: Logger; config: Config['alerts']; dataDir: string }

export class AlertingService {
  readonly book: AlertBook;
  readonly suppressions = new Suppressions();
  private readonly engine: AlertEngine;
  private readonly notifier: Notifier;
  private readonly store: AlertStore;
  private readonly loader: RulesLoader;
  private readonly offs: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Set in a cluster: then this instance evaluates only while it holds the leader lease. */
  private cluster: AlertCluster | undefined;
  private evaluating = false;

  constructor(private readonly deps: AlertingDeps) {
    const c = deps.config;
    this.book = new AlertBook((change) => this.changed(change), c.keepResolved);
    this.engine = new AlertEngine(this.book, { flapThreshold: c.flapThreshold, flapWindowMs: c.flapWindowMs });
    this.store = new AlertStore(deps.influx, deps.log.child({ module: 'alert-store' }));
    this.notifier = new Notifier(
      {
        dashboardUrl: c.dashboardUrl, maxAttempts: c.notifyMaxAttempts, retryBaseMs: c.notifyRetryBaseMs, deliveryLogSize: 5000,
        // A leader that lost its lease without noticing (paused) must not page anyone: the new leader does.
        mayDeliver: () => this.cluster?.holdsLease() ?? Promise.resolve(true),
      },
      this.book, deps.log.child({ module: 'alert-notifier' }), (d) => this.store.delivery(d),
    );
    this.loader = new RulesLoader(
      { rulesDir: c.rulesDir, editableFile: c.rulesFile || join(deps.dataDir, 'alert-rules.yaml'), catalogDefaults: c.catalogDefaults, catalogForMs: c.catalogForMs },
      deps.log.child({ module: 'alert-rules' }), (set) => this.apply(set),
    );
  }

  async start(): Promise<void> {
    const rebuilt = await this.store.rebuild();
    const now = Date.now();
    for (const s of rebuilt.silences) if (s.endsAt > now) this.suppressions.addSilence(s, now, s.id);
    for (const w of rebuilt.windows) {
      try { this.suppressions.addWindow(w, w.id); } catch (err) { this.deps.log.warn({ err, id: w.id }, 'stored maintenance window skipped'); }
    }
    this.book.restore(rebuilt.alerts);
    this.notifier.restore(rebuilt.deliveries);
    this.deps.log.info({ open: this.book.active.size, silences: this.suppressions.silences.size, windows: this.suppressions.windows.size }, 'alert state rebuilt');
    this.apply(this.loader.load());
    if (this.deps.config.hotReload) this.loader.watch();
    if (!this.cluster) this.setEvaluating(true);
  }

  /** Joins a cluster (before start): evaluation waits for setEvaluating(true) from the leader lease. */
  joinCluster(cluster: AlertCluster): void { this.cluster = cluster; }

  /**
   * Starts or stops rule evaluation. In a cluster the engine's telemetry comes from evaluateReading() (every
   * instance's readings, through Redis) rather than this process's bus.
   */
  setEvaluating(on: boolean): void {
    if (on === this.evaluating) return;
    this.evaluating = on;
    if (!on) {
      clearInterval(this.timer);
      for (const off of this.offs.splice(0)) off();
      return;
    }
    const bus = this.deps.bus;
    if (this.cluster) {
      this.offs.push(bus.on('anomaly', (e) => this.engine.onAnomaly(e)), bus.on('prediction', (e) => this.engine.onPrediction(e)), bus.on('pacs', (e) => this.engine.onPacs(e)));
    } else this.offs.push(this.engine.subscribe(bus));
    this.timer = setInterval(() => this.tick(), this.deps.config.tickMs);
  }

  /** One accepted reading of any instance of the cluster (leader only). */
  evaluateReading(r: TelemetryReading): void {
    if (this.evaluating) this.engine.onTelemetry(r);
  }

  /** A change the leader published: the mirror of a standby follows it (nothing is stored or sent). */
  mirror(c: ReplicatedChange): void {
    if (this.evaluating) return;
    if (c.t === 'alert') { this.book.mirror(c.alert); return; }
    if (c.kind === 'silence') {
      if (c.item) this.suppressions.addSilence(c.item, c.item.startsAt, c.id); else this.suppressions.silences.delete(c.id);
    } else if (c.item) this.suppressions.addWindow(c.item, c.id); else this.suppressions.removeWindow(c.id);
  }

  /**
   * A standby's alerts become the cluster's shared open alerts (read from `readAt` on): called on losing the
   * lease, it drops what this instance changed after the lease was gone (`refused` ids: nobody else has
   * those changes) and the pending alerts it was timing as leader.
   */
  resync(open: Alert[], readAt: number, refused: ReadonlySet<string>): void {
    if (this.evaluating) return;
    const shared = new Map(open.map((a) => [a.id, a]));
    // Changes mirrored while the shared alerts were being read are newer than what was read: kept.
    for (const [id, a] of [...this.book.active]) {
      if (!shared.has(id) && (refused.has(id) || a.state === 'pending' || (a.updatedAt ?? 0) < readAt)) this.book.active.delete(id);
    }
    for (const a of open) if (refused.has(a.id) || (this.book.active.get(a.id)?.updatedAt ?? 0) <= (a.updatedAt ?? 0)) this.book.mirror(a);
  }

  /** A command a standby forwarded (leader only). */
  execute(cmd: AlertCommand): void {
    switch (cmd.c) {
      case 'ack': this.book.acknowledge(cmd.id, cmd.by, cmd.comment, cmd.at); break;
      case 'silence': this.storeSilence(cmd.silence); break;
      case 'unsilence': this.removeSilence(cmd.id); break;
      case 'window': this.storeWindow(cmd.window); break;
      case 'unwindow': this.removeWindow(cmd.id); break;
    }
  }

  /** A standby answers from its mirror and hands the command to the leader. */
  private get standby(): AlertCluster | undefined { return this.cluster && !this.evaluating ? this.cluster : undefined; }

  async stop(): Promise<void> {
    this.setEvaluating(false);
    this.loader.stop();
    await this.notifier.stop();
    await this.store.close();
  }

  list(): Alert[] { return this.book.list(); }
  /** What a new dashboard gets: alerts that fired (pending ones are not alerts yet). */
  snapshot(): Alert[] { return this.book.list().filter((a) => a.state !== 'pending'); }
  get(id: string): Alert | undefined { return this.book.get(id); }
  deliveries(id: string): DeliveryRecord[] { return this.notifier.deliveries(id); }
  rules(): RulesResponse { return { rules: this.loader.current.rules, errors: this.loader.current.errors }; }
  upsertRule(raw: unknown): ReturnType<RulesLoader['upsert']> { return this.loader.upsert(raw); }
  flush(): Promise<void> { return this.store.flush(); }

  acknowledge(id: string, by: string, comment?: string): ReturnType<AlertBook['acknowledge']> {
    const now = Date.now();
    const standby = this.standby;
    if (!standby) return this.book.acknowledge(id, by, comment, now);
    const cur = this.book.active.get(id);
    if (!cur) return 'not-found';
    if (cur.state !== 'firing') return cur.state === 'acknowledged' ? cur : 'not-firing';
    const acked: Alert = { ...cur, state: 'acknowledged', ackedBy: by, ackedAt: now, updatedAt: now, ...(comment ? { ackComment: comment } : {}) };
    this.book.mirror(acked);
    standby.forward({ c: 'ack', id, by, at: now, ...(comment ? { comment } : {}) });
    return acked;
  }

  addSilence(input: SilenceInput): Silence {
    const s = this.suppressions.addSilence(input, Date.now());
    if (this.standby) this.standby.forward({ c: 'silence', silence: s }); else this.storeSilence(s);
    return s;
  }

  private storeSilence(s: Silence): void {
    this.suppressions.addSilence(s, s.startsAt, s.id);
    this.adminChanged('silence', s.id, s);
  }

  removeSilence(id: string): boolean {
    const ok = this.suppressions.silences.delete(id);
    if (ok && this.standby) this.standby.forward({ c: 'unsilence', id });
    else if (ok) this.adminChanged('silence', id, undefined);
    return ok;
  }

  /** Throws when the window's RRULE or cron expression does not parse. */
  addWindow(input: MaintenanceInput): MaintenanceWindow {
    const w = this.suppressions.addWindow(input);
    if (this.standby) this.standby.forward({ c: 'window', window: w }); else this.storeWindow(w);
    return w;
  }

  private storeWindow(w: MaintenanceWindow): void {
    this.suppressions.addWindow(w, w.id);
    this.adminChanged('maintenance', w.id, w);
  }

  removeWindow(id: string): boolean {
    const ok = this.suppressions.removeWindow(id);
    if (ok && this.standby) this.standby.forward({ c: 'unwindow', id });
    else if (ok) this.adminChanged('maintenance', id, undefined);
    return ok;
  }

  /** Effects of a change: at once in one process; in a cluster after the fenced shared write (replication.ts). */
  private commit(id: string, change: ReplicatedChange | undefined, effects: () => void): void {
    if (this.cluster) this.cluster.commit(id, change, effects); else effects();
  }

  private adminChanged(kind: 'silence' | 'maintenance', id: string, item: Silence | MaintenanceWindow | undefined, refresh = true): void {
    const change: ReplicatedChange = kind === 'silence'
      ? { t: 'admin', kind, id, item: (item as Silence | undefined) ?? null }
      : { t: 'admin', kind, id, item: (item as MaintenanceWindow | undefined) ?? null };
    this.commit(id, change, () => this.store.adminChanged(kind, id, item));
    if (refresh) this.refreshFlags(Date.now());
  }

  tick(now = Date.now()): void {
    this.engine.tick(now);
    for (const id of this.suppressions.expire(now)) this.adminChanged('silence', id, undefined, false);
    this.refreshFlags(now);
    this.book.decayFlaps(now);
    this.notifier.tick(now);
  }

  private apply(set: RuleSet): void {
    this.engine.setRules(set);
    this.notifier.setRoutes(set.routes, set.channels);
  }

  private flags(a: Alert, now: number): Partial<Alert> {
    const silenceIds = this.suppressions.silencesFor(a, now);
    const maintenanceIds = this.suppressions.windowsFor(a, now);
    return { silenced: silenceIds.length > 0, silenceIds, maintenance: maintenanceIds.length > 0, maintenanceIds };
  }

  private refreshFlags(now: number): void {
    for (const a of [...this.book.active.values()]) this.book.patch(a.id, this.flags(a, now), 'flags', now);
  }

  private changed(change: AlertChange): void {
    const { alert, reason } = change;
    // A new or worsening alert carries its suppression flags before anyone sees it.
    if (reason === 'pending' || reason === 'firing' || reason === 'severity') Object.assign(alert, this.flags(alert, alert.updatedAt ?? Date.now()));
    // A copy: in a cluster the effects run after a Redis round trip, when the alert may have changed again.
    const snap = structuredClone(alert);
    const shared = reason !== 'pending' && reason !== 'cancelled';
    this.commit(snap.id, shared ? { t: 'alert', alert: snap, reason } : undefined, () => {
      this.store.alertChanged(snap, reason);
      // Pending alerts (and their cancellation) stay off the live feed: like Alertmanager, people see an alert
      // once its "for" has elapsed; the API lists pending ones (state=pending).
      if (snap.state !== 'pending' && reason !== 'notified' && reason !== 'cancelled') this.deps.bus.emit('alert', snap);
    });
    // Decides synchronously what to send (and marks the alert notified); the sending itself is fenced.
    this.notifier.onChange(change);
  }
}
