import { Type, type Static } from '@sinclair/typebox';
import { Modality, Severity, Slug } from './common.js';

export const AlertState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('firing'),
  Type.Literal('acknowledged'),
  Type.Literal('resolved'),
]);
export type AlertState = Static<typeof AlertState>;

export const Alert = Type.Object({
  id: Type.String({ description: 'stable id: rule + scanner, so a re-fire updates the same alert' }),
  ruleId: Type.String(),
  site: Slug,
  modality: Modality,
  scannerId: Slug,
  metric: Type.String(),
  severity: Severity,
  state: AlertState,
  value: Type.Number({ description: 'the value that caused the last state change' }),
  threshold: Type.Number(),
  message: Type.String(),
  startsAt: Type.Number({ description: 'epoch ms when the condition began' }),
  endsAt: Type.Optional(Type.Number({ description: 'epoch ms when it resolved' })),
});
export type Alert = Static<typeof Alert>;
