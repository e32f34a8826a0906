// Alert rules, notification channels and routes as they are written in YAML files (rules/*.yaml) and
// read or edited through the API. Durations are milliseconds or strings like "30s", "5m", "2h", "1d".
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Severity, Slug } from './common.js';
import { Role } from './auth.js';

export const Duration = Type.Union([
  Type.Integer({ minimum: 0, description: 'milliseconds' }),
  Type.String({ pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d|w)$', description: 'e.g. 500ms, 30s, 5m, 2h, 1d' }),
]);
export type Duration = Static<typeof Duration>;

/** Who an alert concerns: the user roles of contracts/auth.ts (one definition, reused here). */
export const AudienceRole = Role;
export type AudienceRole = Role;

const Slugs = Type.Array(Slug, { minItems: 1 });
export const RuleScope = Type.Object({
  site: Type.Optional(Slugs),
  modality: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
  scannerId: Type.Optional(Slugs),
  labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'every label must match' })),
}, { additionalProperties: false });
export type RuleScope = Static<typeof RuleScope>;

const Op = Type.Union([Type.Literal('above'), Type.Literal('below')]);
/** Fields a per-scanner override may change. */
export const RuleOverride = Type.Object({
  disabled: Type.Optional(Type.Boolean()),
  warning: Type.Optional(Type.Number()),
  critical: Type.Optional(Type.Number()),
  recover: Type.Optional(Type.Number()),
  for: Type.Optional(Duration),
  horizon: Type.Optional(Duration),
  persist: Type.Optional(Duration),
  n: Type.Optional(Type.Integer({ minimum: 1 })),
  m: Type.Optional(Type.Integer({ minimum: 1 })),
  intervals: Type.Optional(Type.Integer({ minimum: 1 })),
  severity: Type.Optional(Severity),
}, { additionalProperties: false });
export type RuleOverride = Static<typeof RuleOverride>;

const common = {
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9_.:-]{0,127}$' }),
  title: Type.Optional(Type.String({ maxLength: 200 })),
  severity: Type.Optional(Severity),
  scope: Type.Optional(RuleScope),
  roles: Type.Optional(Type.Array(AudienceRole, { description: 'who the alert concerns; routes match on it' })),
  for: Type.Optional(Duration),
  disabled: Type.Optional(Type.Boolean()),
  flapThreshold: Type.Optional(Type.Integer({ minimum: 1, description: 'state changes in the flap window above which the alert is flapping' })),
  flapWindow: Type.Optional(Duration),
  overrides: Type.Optional(Type.Record(Type.String(), RuleOverride, { description: 'scanner or PACS id → changed fields' })),
};
const levels = {
  op: Op,
  warning: Type.Optional(Type.Number()),
  critical: Type.Optional(Type.Number()),
  recover: Type.Optional(Type.Number({ description: 'the alert resolves only once the value is back past this (hysteresis)' })),
};
const strict = { additionalProperties: false } as const;

export const ThresholdRule = Type.Object({ ...common, kind: Type.Literal('threshold'), metric: Type.String(), ...levels }, strict);
export const RateRule = Type.Object({
  ...common, kind: Type.Literal('rate'), metric: Type.String(), ...levels,
  window: Duration,
  per: Type.Optional(Duration),
}, strict);
export const NoDataRule = Type.Object({
  ...common, kind: Type.Literal('nodata'),
  source: Type.Optional(Type.Union([Type.Literal('scanner'), Type.Literal('pacs')])),
  interval: Duration,
  intervals: Type.Integer({ minimum: 1 }),
}, strict);
export const AnomalyRule = Type.Object({
  ...common, kind: Type.Literal('anomaly'),
  n: Type.Integer({ minimum: 1, description: 'detections (scores at or above the level) needed among the last m scores' }),
  m: Type.Integer({ minimum: 1, description: 'scores looked back over; must exceed (n - 1) x (the detector rest + 1), as the detector rests after each detection' }),
  threshold: Type.Optional(Type.Number({ description: 'score level; default: the calibrated level sent with each score' })),
  recoverN: Type.Optional(Type.Integer({ minimum: 0, description: 'resolve when at most this many of the last m are anomalous (default 0)' })),
}, strict);
export const PredictiveRule = Type.Object({
  ...common, kind: Type.Literal('predictive'),
  metric: Type.Optional(Type.String({ description: 'the forecast metric; absent: every forecast metric, each its own alert' })),
  horizon: Duration,
  persist: Type.Optional(Duration),
  recoverHorizon: Type.Optional(Duration),
}, strict);
export const PacsRule = Type.Object({ ...common, kind: Type.Literal('pacs'), signal: Type.String(), ...levels }, strict);

export const RULE_SCHEMAS = {
  threshold: ThresholdRule, rate: RateRule, nodata: NoDataRule, anomaly: AnomalyRule, predictive: PredictiveRule, pacs: PacsRule,
} as const satisfies Record<string, TSchema>;

export const AlertRule = Type.Union([ThresholdRule, RateRule, NoDataRule, AnomalyRule, PredictiveRule, PacsRule]);
export type AlertRule = Static<typeof AlertRule>;
export type ThresholdRule = Static<typeof ThresholdRule>;
export type RateRule = Static<typeof RateRule>;
export type NoDataRule = Static<typeof NoDataRule>;
export type AnomalyRule = Static<typeof AnomalyRule>;
export type PredictiveRule = Static<typeof PredictiveRule>;
export type PacsRule = Static<typeof PacsRule>;

export const Channel = Type.Object({
  id: Slug,
  type: Type.Union([Type.Literal('webhook'), Type.Literal('slack'), Type.Literal('teams'), Type.Literal('email')]),
  url: Type.Optional(Type.String({ description: 'webhook / Slack / Teams incoming webhook URL. Secret: never logged.' })),
  secret: Type.Optional(Type.String({ description: 'HMAC-SHA256 key for the generic webhook signature. Secret.' })),
  to: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
  from: Type.Optional(Type.String()),
  smtp: Type.Optional(Type.Object({
    host: Type.String(), port: Type.Integer(), secure: Type.Optional(Type.Boolean()),
    user: Type.Optional(Type.String()), pass: Type.Optional(Type.String()),
  }, strict)),
}, strict);
export type Channel = Static<typeof Channel>;

export const Route = Type.Object({
  id: Slug,
  match: Type.Optional(Type.Object({
    site: Type.Optional(Slugs),
    severity: Type.Optional(Type.Array(Severity)),
    role: Type.Optional(Type.Array(AudienceRole)),
  }, strict)),
  channels: Type.Array(Slug, { minItems: 1 }),
  groupBy: Type.Optional(Type.Array(Type.Union([Type.Literal('scannerId'), Type.Literal('site'), Type.Literal('ruleId')]))),
  groupWait: Type.Optional(Duration),
  repeatEvery: Type.Optional(Duration),
  escalateAfter: Type.Optional(Duration),
  escalateTo: Type.Optional(Slug),
  escalationOnly: Type.Optional(Type.Boolean({ description: 'used only as an escalation target' })),
}, strict);
export type Route = Static<typeof Route>;

/** One YAML file in the rules folder. */
export const RulesFile = Type.Object({
  rules: Type.Optional(Type.Array(Type.Unknown())),
  channels: Type.Optional(Type.Array(Channel)),
  routes: Type.Optional(Type.Array(Route)),
  labels: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.String()), { description: 'scanner id → labels' })),
}, strict);
export type RulesFile = Static<typeof RulesFile>;

export const RuleView = Type.Object({
  rule: AlertRule,
  source: Type.String({ description: 'file the rule comes from, catalog, or api' }),
});
export const RulesResponse = Type.Object({
  rules: Type.Array(RuleView),
  errors: Type.Array(Type.String({ description: 'load problems: file, rule and field' })),
});
export type RulesResponse = Static<typeof RulesResponse>;
