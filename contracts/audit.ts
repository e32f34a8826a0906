// Audit log of every write through the API: who, what, when, from where.
import { Type, type Static } from '@sinclair/typebox';

export const AuditEntry = Type.Object({
  ts: Type.Number({ description: 'epoch ms' }),
  actor: Type.String({ description: 'username, token:<id>, or anonymous' }),
  action: Type.String({ description: 'METHOD route pattern, e.g. PUT /api/fleet/scanners/:id' }),
  target: Type.Optional(Type.String({ description: 'the resource id from the URL, when there is one' })),
  statusCode: Type.Integer(),
  ip: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(Type.String({ maxLength: 200, description: 'substring of the action' })),
    from: Type.Optional(Type.Integer({ minimum: 0 })),
    to: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
