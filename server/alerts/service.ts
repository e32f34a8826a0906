// The alerting service: rules from YAML (hot-reloaded), the engine, the alert book, silences and
// maintenance windows, notifications and persistence, wired to the event bus. The platform constructs one;
// the API routes talk to it through the methods below.
import { join } from 'node:path';
import type { Alert, DeliveryRecord } from '../../contracts/alerts.js';
import type { RulesResponse } from '../../contracts/alert-rules.js';
import type { MaintenanceInput, MaintenanceWindow, Silence, SilenceInput } from '../../contracts/alert-silences.js';
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

  constructor(private readonly deps: AlertingDeps) {
    const c = deps.config;
    this.book = new AlertBook((change) => this.changed(change), c.keepResolved);
    this.engine = new AlertEngine(this.book, { flapThreshold: c.flapThreshold, flapWindowMs: c.flapWindowMs });
    this.store = new AlertStore(deps.influx, deps.log.child({ module: 'alert-store' }));
    this.notifier = new Notifier(
      { dashboardUrl: c.dashboardUrl, maxAttempts: c.notifyMaxAttempts, retryBaseMs: c.notifyRetryBaseMs, deliveryLogSize: 5000 },
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
    this.offs.push(this.engine.subscribe(this.deps.bus));
    this.timer = setInterval(() => this.tick(), this.deps.config.tickMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const off of this.offs.splice(0)) off();
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
    return this.book.acknowledge(id, by, comment, Date.now());
  }

  addSilence(input: SilenceInput): Silence {
    const now = Date.now();
    const s = this.suppressions.addSilence(input, now);
    this.store.adminChanged('silence', s.id, s);
    this.refreshFlags(now);
    return s;
  }

  removeSilence(id: string): boolean {
    const ok = this.suppressions.silences.delete(id);
    if (ok) { this.store.adminChanged('silence', id, undefined); this.refreshFlags(Date.now()); }
    return ok;
  }

  /** Throws when the window's RRULE or cron expression does not parse. */
  addWindow(input: MaintenanceInput): MaintenanceWindow {
    const w = this.suppressions.addWindow(input);
    this.store.adminChanged('maintenance', w.id, w);
    this.refreshFlags(Date.now());
    return w;
  }

  removeWindow(id: string): boolean {
    const ok = this.suppressions.removeWindow(id);
    if (ok) { this.store.adminChanged('maintenance', id, undefined); this.refreshFlags(Date.now()); }
    return ok;
  }

  tick(now = Date.now()): void {
    this.engine.tick(now);
    for (const id of this.suppressions.expire(now)) this.store.adminChanged('silence', id, undefined);
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
    this.store.alertChanged(alert, reason);
    // Pending alerts (and their cancellation) stay off the live feed: like Alertmanager, people see an alert
    // once its "for" has elapsed; the API lists pending ones (state=pending).
    if (alert.state !== 'pending' && reason !== 'notified' && reason !== 'cancelled') this.deps.bus.emit('alert', { ...alert });
    this.notifier.onChange(change);
  }
}
