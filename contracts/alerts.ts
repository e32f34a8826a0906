// Alerts as the engine, the API, Socket.IO and the dashboard see them. One alert id per rule and target
// (scanner or PACS), so a re-fire updates the same alert; every optional field was added after the skeleton,
// which keeps older clients working.
import { Type, type Static } from '@sinclair/typebox';
import { Modality, Severity, Slug } from './common.js';

export const AlertState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('firing'),
  Type.Literal('acknowledged'),
  Type.Literal('resolved'),
]);
export type AlertState = Static<typeof AlertState>;

export const RuleKind = Type.Union([
  Type.Literal('threshold'), Type.Literal('rate'), Type.Literal('nodata'),
  Type.Literal('anomaly'), Type.Literal('predictive'), Type.Literal('pacs'),
]);
export type RuleKind = Static<typeof RuleKind>;

export const AlertPrediction = Type.Object({
  metric: Type.String(),
  etaMs: Type.Union([Type.Number(), Type.Null()], { description: 'forecast time until the metric reaches its limit; null: no crossing forecast' }),
  low: Type.Optional(Type.Number({ description: 'lower bound of the forecast interval (ms)' })),
  high: Type.Optional(Type.Number({ description: 'upper bound of the forecast interval (ms)' })),
  ts: Type.Number(),
});
export type AlertPrediction = Static<typeof AlertPrediction>;

export const Alert = Type.Object({
  id: Type.String({ description: 'stable id: rule + scanner, so a re-fire updates the same alert' }),
  ruleId: Type.String(),
  site: Slug,
  modality: Type.Union([Modality, Type.Literal('pacs')], { description: 'scanner modality, or pacs for PACS alerts' }),
  scannerId: Slug,
  metric: Type.String(),
  severity: Severity,
  state: AlertState,
  value: Type.Number({ description: 'the value that caused the last state change' }),
  threshold: Type.Number(),
  message: Type.String(),
  startsAt: Type.Number({ description: 'epoch ms when the condition began' }),
  endsAt: Type.Optional(Type.Number({ description: 'epoch ms when it resolved' })),
  kind: Type.Optional(RuleKind),
  title: Type.Optional(Type.String()),
  unit: Type.Optional(Type.String()),
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  roles: Type.Optional(Type.Array(Type.String(), { description: 'who the alert concerns (routing)' })),
  firedAt: Type.Optional(Type.Number({ description: 'epoch ms when it went from pending to firing' })),
  updatedAt: Type.Optional(Type.Number()),
  ackedBy: Type.Optional(Type.String()),
  ackedAt: Type.Optional(Type.Number()),
  ackComment: Type.Optional(Type.String()),
  silenced: Type.Optional(Type.Boolean({ description: 'an active silence matches: notifications are held' })),
  silenceIds: Type.Optional(Type.Array(Type.String())),
  maintenance: Type.Optional(Type.Boolean({ description: 'inside a maintenance window: suppressed, downtime is planned' })),
  maintenanceIds: Type.Optional(Type.Array(Type.String())),
  flapping: Type.Optional(Type.Boolean({ description: 'too many state changes in the flap window: notifications are held' })),
  prediction: Type.Optional(AlertPrediction),
  notifiedState: Type.Optional(AlertState),
  notifiedSeverity: Type.Optional(Severity),
  notifiedAt: Type.Optional(Type.Number()),
  escalatedTo: Type.Optional(Type.Array(Type.String(), { description: 'route ids this alert was escalated to' })),
});
export type Alert = Static<typeof Alert>;

export const AlertQuery = Type.Object({
  state: Type.Optional(Type.String({ description: 'comma-separated states; "open" = pending,firing,acknowledged' })),
  severity: Type.Optional(Severity),
  site: Type.Optional(Slug),
  scannerId: Type.Optional(Slug),
  ruleId: Type.Optional(Type.String()),
  silenced: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
}, { additionalProperties: false });
export type AlertQuery = Static<typeof AlertQuery>;

export const AckRequest = Type.Object({
  by: Type.Optional(Type.String({ maxLength: 100, description: 'ignored: the authenticated caller takes the alert' })),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type AckRequest = Static<typeof AckRequest>;

export const DeliveryRecord = Type.Object({
  ts: Type.Number(),
  alertIds: Type.Array(Type.String()),
  routeId: Type.String(),
  channelId: Type.String(),
  channelType: Type.String(),
  reason: Type.Union([Type.Literal('firing'), Type.Literal('resolved'), Type.Literal('reminder'), Type.Literal('escalation'), Type.Literal('severity')]),
  attempt: Type.Integer(),
  ok: Type.Boolean(),
  detail: Type.String({ description: 'HTTP status or SMTP response, or the error' }),
});
export type DeliveryRecord = Static<typeof DeliveryRecord>;

export const AlertDetail = Type.Object({ alert: Alert, deliveries: Type.Array(DeliveryRecord) });
export type AlertDetail = Static<typeof AlertDetail>;
