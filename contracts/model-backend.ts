// The TensorFlow.js backends Gantry can run on, fastest first (config `models.backend`, /metrics, the
// scoring worker's protocol and the models library all name them from here).
import { Type } from '@sinclair/typebox';

export const MODEL_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type ModelBackend = (typeof MODEL_BACKENDS)[number];

/** A configured choice: one backend, or `auto` for the fastest that loads. */
export const ModelBackendSetting = Type.Union([Type.Literal('auto'), ...MODEL_BACKENDS.map((b) => Type.Literal(b))]);
export type ModelBackendSetting = 'auto' | ModelBackend;
