import { Type, type Static } from '@sinclair/typebox';

export const DependencyCheck = Type.Object({
  ok: Type.Boolean(),
  latencyMs: Type.Optional(Type.Number()),
  detail: Type.Optional(Type.String()),
});

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  uptimeSeconds: Type.Number(),
  checks: Type.Object({ influxdb: DependencyCheck, mqtt: DependencyCheck, spool: Type.Optional(DependencyCheck) }),
});
export type Health = Static<typeof Health>;
