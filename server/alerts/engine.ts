// Evaluates rules against what arrives on the bus (telemetry, anomaly scores, forecasts, PACS signals) and
// against silence of data on a tick, and turns verdicts into lifecycle calls on the alert book.
import type { AlertPrediction } from '../../contracts/alerts.js';
import type { AlertRule, AnomalyRule, NoDataRule, PacsRule, PredictiveRule, RateRule, ThresholdRule } from '../../contracts/alert-rules.js';
import type { AnomalyScore, PacsSignal, Prediction } from '../../contracts/alert-signals.js';
import { findMetric } from '../../contracts/metric-catalog.js';
import type { Modality, Severity } from '../../contracts/common.js';
import type { TelemetryReading } from '../../contracts/telemetry.js';
import { DAY, HOUR, MINUTE, SECOND, formatDuration } from '../../contracts/units.js';
import type { EventBus } from '../../lib/event-bus.js';
import { toMs } from './duration.js';
import { AnomalyGate, ForecastGate, type GateStep } from '../../models/src/alerting/gating.js';
import { effective, inScope, judge, RateWindow, type Target } from './conditions.js';
import type { AlertBook, Raise } from './lifecycle.js';
import type { RuleSet } from './rules-loader.js';

export interface EngineOptions { flapThreshold: number; flapWindowMs: number }

type LevelRule = ThresholdRule | RateRule | PacsRule;
const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2));

export class AlertEngine {
  private byMetric = new Map<string, (ThresholdRule | RateRule)[]>();
  private bySignal = new Map<string, PacsRule[]>();
  private noData: NoDataRule[] = [];
  private anomaly: AnomalyRule[] = [];
  private predictive: PredictiveRule[] = [];
  private labels: Record<string, Record<string, string>> = {};
  private ruleIds = new Set<string>();
  private readonly rates = new Map<string, RateWindow>();
  /** Gate state per rule, target (and metric, for a predictive rule over every metric), with the settings it was made with. */
  private readonly anomalyGates = new Map<string, { key: string; gate: AnomalyGate }>();
  private readonly forecastGates = new Map<string, { key: string; gate: ForecastGate }>();
  private readonly lastSeen = new Map<string, { target: Target; at: number; source: 'scanner' | 'pacs' }>();
  private readonly predictions = new Map<string, AlertPrediction>();

  constructor(private readonly book: AlertBook, private readonly opts: EngineOptions) {}

  setRules(set: RuleSet, now = Date.now()): void {
    this.byMetric = new Map();
    this.bySignal = new Map();
    this.noData = [];
    this.anomaly = [];
    this.predictive = [];
    this.labels = set.labels;
    this.ruleIds = new Set();
    for (const { rule } of set.rules) {
      if (rule.disabled) continue;
      this.ruleIds.add(rule.id);
      switch (rule.kind) {
        case 'threshold': case 'rate': push(this.byMetric, rule.metric, rule); break;
        case 'pacs': push(this.bySignal, rule.signal, rule); break;
        case 'nodata': this.noData.push(rule); break;
        case 'anomaly': this.anomaly.push(rule); break;
        case 'predictive': this.predictive.push(rule); break;
      }
    }
    // An alert whose rule was removed or disabled can no longer resolve by itself.
    for (const a of [...this.book.active.values()]) {
      if (!this.ruleIds.has(a.ruleId)) this.book.clear(a.id, a.value, `${a.title ?? a.ruleId}: rule removed`, now);
    }
  }

  subscribe(bus: EventBus): () => void {
    const offs = [
      bus.on('telemetry', (r) => this.onTelemetry(r), 'alerts'),
      bus.on('anomaly', (e) => this.onAnomaly(e), 'alerts'),
      bus.on('prediction', (e) => this.onPrediction(e), 'alerts'),
      bus.on('pacs', (e) => this.onPacs(e), 'alerts'),
    ];
    return () => { for (const off of offs) off(); };
  }

  onTelemetry(r: TelemetryReading, now = Date.now()): void {
    const target: Target = { site: r.site, modality: r.modality, scannerId: r.scannerId, labels: this.labels[r.scannerId] };
    this.seen('scanner', target, now);
    for (const [metric, value] of Object.entries(r.metrics)) {
      const rules = this.byMetric.get(metric);
      if (!rules) continue;
      for (const base of rules) {
        if (!inScope(base.scope, target)) continue;
        const rule = effective(base, r.scannerId);
        if (rule.disabled) continue;
        if (rule.kind === 'threshold') this.level(rule, target, metric, value, now);
        else {
          const key = `${rule.id}|${r.scannerId}`;
          let w = this.rates.get(key);
          if (!w) { w = new RateWindow(toMs(rule.window)); this.rates.set(key, w); }
          const rate = w.add(r.ts, value, toMs(rule.per, 86_400_000));
          if (rate !== undefined) this.level(rule, target, metric, rate, now);
        }
      }
    }
  }

  onPacs(e: PacsSignal, now = Date.now()): void {
    const target: Target = { site: e.site, modality: 'pacs', scannerId: e.pacsId, labels: this.labels[e.pacsId] };
    this.seen('pacs', target, now);
    for (const base of this.bySignal.get(e.signal) ?? []) {
      if (!inScope(base.scope, target)) continue;
      const rule = effective(base, e.pacsId);
      if (!rule.disabled) this.level(rule, target, e.signal, e.value, now);
    }
  }

  onAnomaly(e: AnomalyScore, now = Date.now()): void {
    const target: Target = { site: e.site, modality: e.modality, scannerId: e.scannerId, labels: this.labels[e.scannerId] };
    for (const base of this.anomaly) {
      if (!inScope(base.scope, target)) continue;
      const rule = effective(base, e.scannerId);
      if (rule.disabled) continue;
      const level = rule.threshold ?? e.threshold;
      const config = { n: rule.n, m: rule.m, recoverN: rule.recoverN ?? 0 };
      const gate = gateFor(this.anomalyGates, `${rule.id}|${e.scannerId}`, config, () => new AnomalyGate(config));
      // Raw scores: after a detection the detector rests (score 0 for 100 samples), so counting `score`
      // would never see a persistent fault twice in a short window.
      const step = gate.update((e.rawScore ?? e.score) >= level);
      const title = rule.title ?? 'Anomalous behaviour';
      this.apply(step, `${rule.id}:${e.scannerId}`, now, () => this.raiseFor(rule, target, 'anomaly_score', e.score, level, rule.severity ?? 'warning',
        `${title}: ${gate.detections} of the last ${rule.m} anomaly scores at or above ${fmt(level)} on ${e.scannerId} (${e.site})`),
      e.score, `${title} ended on ${e.scannerId} (${e.site})`);
    }
  }

  onPrediction(e: Prediction, now = Date.now()): void {
    const pred: AlertPrediction = { metric: e.metric, etaMs: e.etaMs, ts: e.ts, ...(e.low !== undefined ? { low: e.low } : {}), ...(e.high !== undefined ? { high: e.high } : {}) };
    this.predictions.set(`${e.scannerId}|${e.metric}`, pred);
    const target: Target = { site: e.site, modality: e.modality, scannerId: e.scannerId, labels: this.labels[e.scannerId] };
    for (const base of this.predictive) {
      if ((base.metric !== undefined && base.metric !== e.metric) || !inScope(base.scope, target)) continue;
      const rule = effective(base, e.scannerId);
      if (rule.disabled) continue;
      const horizon = toMs(rule.horizon);
      const config = { horizonMs: horizon, persistMs: toMs(rule.persist), recoverHorizonMs: toMs(rule.recoverHorizon, horizon * 1.2) };
      // A rule over every metric keeps one alert per metric: one metric's forecast must not end another's alert.
      const id = rule.metric === undefined ? `${rule.id}:${e.scannerId}:${e.metric}` : `${rule.id}:${e.scannerId}`;
      const gate = gateFor(this.forecastGates, id, config, () => new ForecastGate(config));
      const step = gate.update({ etaMs: e.etaMs, ts: e.ts, ...(e.high !== undefined ? { highMs: e.high } : {}) });
      const title = rule.title ?? `${findMetric(e.modality, e.metric)?.label ?? e.metric} forecast`;
      this.apply(step, id, now, () => ({
        ...this.raiseFor(rule, target, e.metric, e.etaMs ?? 0, horizon, rule.severity ?? 'warning',
          `${title}: limit reached in ${formatDuration(e.etaMs ?? 0)} (horizon ${formatDuration(horizon)}) on ${e.scannerId} (${e.site})`, pred),
        id,
      }), e.etaMs ?? -1, `${title}: no longer within the horizon on ${e.scannerId} (${e.site})`);
    }
  }

  /** Turns a gate's verdict into the alert book's call. */
  private apply(step: GateStep, id: string, now: number, raise: () => Raise, value: number, clearMessage: string): void {
    if (step.verdict === 'raise') this.book.raise(raise(), now);
    else if (step.verdict === 'clear') this.book.clear(id, value, clearMessage, now);
    else this.book.hold(id, now);
  }

  /** No-data rules and pending promotion; called on every tick. */
  tick(now = Date.now()): void {
    for (const base of this.noData) {
      const source = base.source ?? 'scanner';
      for (const seen of this.lastSeen.values()) {
        if (seen.source !== source || !inScope(base.scope, seen.target)) continue;
        const rule = effective(base, seen.target.scannerId);
        if (rule.disabled) continue;
        const limitMs = toMs(rule.interval) * rule.intervals;
        const silentMs = now - seen.at;
        if (silentMs > limitMs) {
          this.book.raise(this.raiseFor(rule, seen.target, 'nodata', silentMs / 1000, limitMs / 1000, rule.severity ?? 'warning',
            `${rule.title ?? 'No data'}: ${seen.target.scannerId} (${seen.target.site}) has not reported for ${formatDuration(silentMs)} (${rule.intervals} intervals)`), now);
        }
      }
    }
    this.book.promote(now);
  }

  /** The latest forecast for a scanner's metric, if a model sent one. */
  prediction(scannerId: string, metric: string): AlertPrediction | undefined {
    return this.predictions.get(`${scannerId}|${metric}`);
  }

  private seen(source: 'scanner' | 'pacs', target: Target, now: number): void {
    const key = `${source}|${target.scannerId}`;
    this.lastSeen.set(key, { target, at: now, source });
    for (const rule of this.noData) {
      if ((rule.source ?? 'scanner') !== source) continue;
      const id = `${rule.id}:${target.scannerId}`;
      if (this.book.active.has(id)) this.book.clear(id, 0, `${rule.title ?? 'No data'}: ${target.scannerId} (${target.site}) reports again`, now);
    }
  }

  private level(rule: LevelRule, target: Target, metric: string, value: number, now: number): void {
    const v = judge(rule, value);
    const id = `${rule.id}:${target.scannerId}`;
    // The common case, a normal value with no open alert, must cost no more than this lookup.
    if (v.state !== 'active' && !this.book.active.has(id)) return;
    if (v.state === 'hold') { this.book.hold(id, now); return; }
    const def = target.modality === 'pacs' ? undefined : findMetric(target.modality as Modality, metric);
    const unit = rule.kind === 'rate' ? `${def?.unit ?? ''}/${perLabel(toMs(rule.per, 86_400_000))}` : def?.unit ?? '';
    const what = rule.title ?? `${def?.label ?? metric}${rule.kind === 'rate' ? ' rate of change' : ''}`;
    const where = `on ${target.scannerId} (${target.site})`;
    const u = unit ? ` ${unit}` : '';
    if (v.state === 'clear') {
      this.book.clear(id, value, `${what} recovered to ${fmt(value)}${u} ${where}`, now);
      return;
    }
    const side = rule.op === 'below' ? 'below' : 'above';
    const r = this.raiseFor(rule, target, metric, value, v.threshold, v.severity,
      `${what} ${fmt(value)}${u} is ${side} ${fmt(v.threshold)}${u} ${where}`, this.prediction(target.scannerId, metric));
    if (unit) r.unit = unit;
    this.book.raise(r, now);
  }

  private raiseFor(rule: AlertRule, t: Target, metric: string, value: number, threshold: number, severity: Severity, message: string, prediction?: AlertPrediction): Raise {
    return {
      id: `${rule.id}:${t.scannerId}`, ruleId: rule.id, kind: rule.kind, title: rule.title ?? rule.id,
      site: t.site, modality: t.modality as Raise['modality'], scannerId: t.scannerId, metric, value, threshold, severity, message,
      forMs: toMs(rule.for), flapThreshold: rule.flapThreshold ?? this.opts.flapThreshold, flapWindowMs: toMs(rule.flapWindow, this.opts.flapWindowMs),
      ...(t.labels ? { labels: t.labels } : {}), ...(rule.roles ? { roles: rule.roles } : {}), ...(prediction ? { prediction } : {}),
    };
  }
}

/** The gate kept for `id`, made anew when the rule's gate settings changed (a reload, an override). */
function gateFor<G>(gates: Map<string, { key: string; gate: G }>, id: string, config: object, make: () => G): G {
  const key = JSON.stringify(config);
  let g = gates.get(id);
  if (!g || g.key !== key) { g = { key, gate: make() }; gates.set(id, g); }
  return g.gate;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}


function perLabel(ms: number): string {
  return ms === DAY ? 'day' : ms === HOUR ? 'h' : ms === MINUTE ? 'min' : ms === SECOND ? 's' : formatDuration(ms);
}
