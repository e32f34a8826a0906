// Shared building blocks for every wire contract. Identifiers are constrained to lowercase slugs because they
// become MQTT topic levels and InfluxDB tag values: free text there would break topic parsing and let tag
// cardinality grow without bound.
import { FormatRegistry, Type, type Static } from '@sinclair/typebox';

/** The id convention (sites, scanners, PACS, tiers): defined once, as a schema pattern and as a RegExp. */
export const SLUG_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
export const SLUG_RE = new RegExp(SLUG_PATTERN);
export const Slug = Type.String({ pattern: SLUG_PATTERN, description: 'lowercase id: a-z, 0-9, - and _' });

/** Login names also allow `.` and `@` (IdP user names are often e-mail addresses). */
export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._@-]{0,63}$';
export const USERNAME_RE = new RegExp(USERNAME_PATTERN);

export const Modality = Type.Union(
  [Type.Literal('mri'), Type.Literal('ct'), Type.Literal('petct'), Type.Literal('xray'), Type.Literal('us')],
  { description: 'imaging modality' },
);
export type Modality = Static<typeof Modality>;
export const MODALITIES: readonly Modality[] = ['mri', 'ct', 'petct', 'xray', 'us'];

// TypeBox validates formats only once they are registered; RFC 3339 date-time is the one the contracts use.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)));

/** Epoch milliseconds or an RFC 3339 string; scanners and gateways send either. */
export const Timestamp = Type.Union([Type.Number({ minimum: 0 }), Type.String({ format: 'date-time' })], { description: 'sample time: epoch ms (epoch s below 1e11) or RFC 3339' });
export type Timestamp = Static<typeof Timestamp>;

export const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);
export type Severity = Static<typeof Severity>;

/** The one error body every HTTP endpoint answers with. */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  code: Type.Optional(Type.String()),
});
export type ErrorBody = Static<typeof ErrorBody>;
