// Ad-hoc silences (matchers + expiry) and recurring maintenance windows (iCal RRULE or cron).
import { Type, type Static } from '@sinclair/typebox';
import { Slug } from './common.js';

export const Matcher = Type.Object({
  name: Type.Union([
    Type.Literal('ruleId'), Type.Literal('site'), Type.Literal('modality'), Type.Literal('scannerId'),
    Type.Literal('metric'), Type.Literal('severity'), Type.Literal('kind'),
  ]),
  value: Type.String(),
  regex: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type Matcher = Static<typeof Matcher>;

export const SilenceInput = Type.Object({
  matchers: Type.Array(Matcher, { minItems: 1 }),
  startsAt: Type.Optional(Type.Number({ description: 'epoch ms; default now' })),
  endsAt: Type.Number({ description: 'epoch ms when the silence expires' }),
  createdBy: Type.String({ minLength: 1, maxLength: 100, description: 'the authenticated caller who created it (set by the server)' }),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
  sites: Type.Optional(Type.Array(Slug, { description: 'set by the server for a site-scoped creator: the silence only matches alerts of these sites' })),
}, { additionalProperties: false });
export type SilenceInput = Static<typeof SilenceInput>;
export const Silence = Type.Composite([SilenceInput, Type.Object({ id: Type.String(), startsAt: Type.Number() })]);
export type Silence = Static<typeof Silence>;

/** Ignored when sent: the server records the authenticated caller (kept optional so older clients still work). */
const IgnoredCreatedBy = Type.Optional(Type.String({ maxLength: 100, description: 'ignored; the server records the authenticated caller' }));

/** Body of POST /api/alerts/silences. */
export const SilenceRequest = Type.Object({
  matchers: Type.Array(Matcher, { minItems: 1 }),
  startsAt: Type.Optional(Type.Number({ description: 'epoch ms; default now' })),
  endsAt: Type.Number({ description: 'epoch ms when the silence expires' }),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
  createdBy: IgnoredCreatedBy,
}, { additionalProperties: false });
export type SilenceRequest = Static<typeof SilenceRequest>;

export const MaintenanceInput = Type.Object({
  scannerId: Type.Optional(Slug),
  site: Type.Optional(Slug),
  rrule: Type.Optional(Type.String({ description: 'iCal recurrence, e.g. "DTSTART:20260105T060000Z\\nRRULE:FREQ=WEEKLY;BYDAY=MO"' })),
  cron: Type.Optional(Type.String({ description: 'cron expression (UTC) for each start, e.g. "0 6 * * 1"' })),
  startsAt: Type.Optional(Type.Number({ description: 'one-off window start (epoch ms) when neither rrule nor cron is set' })),
  durationMs: Type.Integer({ minimum: 1 }),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
  createdBy: Type.String({ minLength: 1, maxLength: 100, description: 'the authenticated caller who created it (set by the server)' }),
}, { additionalProperties: false });
export type MaintenanceInput = Static<typeof MaintenanceInput>;
export const MaintenanceWindow = Type.Composite([MaintenanceInput, Type.Object({ id: Type.String() })]);
export type MaintenanceWindow = Static<typeof MaintenanceWindow>;

/** Body of POST /api/alerts/maintenance (`createdBy` is set by the server). */
export const MaintenanceRequest = Type.Composite([
  Type.Omit(MaintenanceInput, ['createdBy']),
  Type.Object({ createdBy: IgnoredCreatedBy }),
], { additionalProperties: false });
export type MaintenanceRequest = Static<typeof MaintenanceRequest>;
