// Authentication and authorisation contracts: roles, the signed-in identity, users and machine API tokens.
// The web data layer imports these too (login form, GET /api/me), so the shapes exist once.
import { Type, type Static } from '@sinclair/typebox';
import { Slug, USERNAME_PATTERN } from './common.js';

/** admin: everything; biomed: scanners and their alerts; it: PACS and infrastructure alerts;
 *  manager: reports, read-only; viewer: read-only dashboards. */
export const Role = Type.Union(
  [Type.Literal('admin'), Type.Literal('biomed'), Type.Literal('it'), Type.Literal('manager'), Type.Literal('viewer')],
  { description: 'role of a user or API token' },
);
export type Role = Static<typeof Role>;
export const ROLES = ['admin', 'biomed', 'it', 'manager', 'viewer'] as const satisfies readonly Role[];

/**
 * Who may do what, named once: routes, socket events and the web's navigation all take their role lists
 * from here, so a role added or a duty moved changes one line.
 */
export const AUDIENCE = {
  /** Every signed-in role: dashboards, alerts and history, read-only. */
  everyone: ROLES,
  /** Acts on alerts (acknowledge, silence, plan maintenance) and reads dead letters. */
  responders: ['admin', 'biomed', 'it'],
  /** PACS and infrastructure. */
  infrastructure: ['admin', 'it'],
  /** Downtime reports and what-if analyses. */
  managers: ['admin', 'manager'],
  /** Users, tokens, devices, rules, the registry and the audit log. */
  admins: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

/** What an API token may do on top of its role: read (GET), write (other methods), metrics (GET /metrics). */
export const TokenScope = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('metrics')]);
export type TokenScope = Static<typeof TokenScope>;

export const Username = Type.String({ pattern: USERNAME_PATTERN, description: 'lowercase login name' });
export const Password = Type.String({ minLength: 12, maxLength: 256, description: 'at least 12 characters' });

export const Me = Type.Object({
  username: Type.String(),
  role: Role,
  sites: Type.Optional(Type.Array(Slug, { description: 'when present, only these sites are visible' })),
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  mustChangePassword: Type.Optional(Type.Boolean()),
});
export type Me = Static<typeof Me>;

export const LoginRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const ChangePasswordRequest = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordRequest = Static<typeof ChangePasswordRequest>;

export const User = Type.Object({
  username: Username,
  role: Role,
  sites: Type.Optional(Type.Array(Slug)),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  createdAt: Type.Number({ description: 'epoch ms' }),
  external: Type.Optional(Type.Boolean({ description: 'signs in through single sign-on (OIDC); has no Gantry password, role and sites follow the identity provider' })),
});
export type User = Static<typeof User>;

export const CreateUserRequest = Type.Object(
  {
    username: Username, password: Password, role: Role, sites: Type.Optional(Type.Array(Slug, { maxItems: 1000 })),
    mustChangePassword: Type.Optional(Type.Boolean({ default: true, description: 'the user must choose a new password before using the API' })),
  },
  { additionalProperties: false },
);
export type CreateUserRequest = Static<typeof CreateUserRequest>;

export const UpdateUserRequest = Type.Object(
  {
    password: Type.Optional(Password),
    role: Type.Optional(Role),
    sites: Type.Optional(Type.Union([Type.Array(Slug, { maxItems: 1000 }), Type.Null()], { description: 'null removes site scoping' })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserRequest = Static<typeof UpdateUserRequest>;

export const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Role,
  scopes: Type.Array(TokenScope),
  sites: Type.Optional(Type.Array(Slug)),
  createdBy: Type.String(),
  createdAt: Type.Number(),
  expiresAt: Type.Optional(Type.Number()),
  lastUsedAt: Type.Optional(Type.Number()),
  revokedAt: Type.Optional(Type.Number()),
});
export type ApiToken = Static<typeof ApiToken>;

export const CreateTokenRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Role,
    scopes: Type.Array(TokenScope, { minItems: 1, maxItems: 3, uniqueItems: true }),
    sites: Type.Optional(Type.Array(Slug, { maxItems: 1000 })),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);
export type CreateTokenRequest = Static<typeof CreateTokenRequest>;

/** The secret is shown once, in this answer; only its hash is stored. Send it as `Authorization: Bearer <token>`. */
export const CreatedToken = Type.Object({ token: Type.String(), info: ApiToken });
export type CreatedToken = Static<typeof CreatedToken>;

/** How one may sign in: always a Gantry password; single sign-on when an OpenID Connect issuer is configured. */
export const AuthMethods = Type.Object({
  password: Type.Boolean(),
  oidc: Type.Optional(Type.Object({
    name: Type.String({ description: 'provider name for the "Sign in with ..." button' }),
    loginUrl: Type.String({ description: 'open in the browser (a full-page navigation, not fetch) to start the sign-in' }),
  })),
});
export type AuthMethods = Static<typeof AuthMethods>;

/** Why a single sign-on attempt ended on /login?error=...; the login page explains each. */
export const OidcFailure = Type.Union([
  Type.Literal('sso_unavailable'), Type.Literal('sso_expired'), Type.Literal('sso_denied'), Type.Literal('sso_invalid'),
  Type.Literal('sso_no_role'), Type.Literal('sso_username_taken'), Type.Literal('sso_disabled'),
]);
export type OidcFailure = Static<typeof OidcFailure>;
