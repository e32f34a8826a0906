// The configuration of one PACS Gantry probes (config.pacs.targets[]). It lives beside the collector that
// reads it; server/config/schema.ts imports it into the one config schema (collectors never import server).
import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { Slug } from '../../contracts/common.js';
import { StudyAgeBucket } from '../../contracts/pacs.js';

const Probe = <T extends TProperties>(intervalMs: number, timeoutMs: number, what: string, extra: T) => Type.Object({
  ...extra,
  enabled: Type.Boolean({ default: true, description: `Run the ${what} probe.` }),
  intervalMs: Type.Integer({ minimum: 0, default: intervalMs, description: `Pause between two ${what} probes.` }),
  timeoutMs: Type.Integer({ minimum: 100, default: timeoutMs, description: `A ${what} probe that takes longer fails with cause "timeout".` }),
}, { default: {}, additionalProperties: false });

const PacsSlug = Slug;
const AeTitle = Type.String({ pattern: '^[ -~]{1,16}$' });

/** One PACS Gantry probes (config.pacs.targets[]). */
export const PacsTarget = Type.Object({
  id: PacsSlug,
  site: PacsSlug,
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  calledAet: AeTitle,
  callingAet: Type.Optional(AeTitle),
  tls: Type.Optional(Type.Object({ ca: Type.Optional(Type.String()), cert: Type.Optional(Type.String()), key: Type.Optional(Type.String()), rejectUnauthorized: Type.Optional(Type.Boolean()) }, { additionalProperties: false, description: 'DICOM TLS: paths of PEM files (CA, client certificate, client key).' })),
  rest: Type.Optional(Type.Object({
    url: Type.String({ description: 'Orthanc REST base URL (GET /statistics).' }),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    intervalMs: Type.Optional(Type.Integer({ minimum: 100 })),
  }, { additionalProperties: false })),
  dicomweb: Type.Optional(Type.Object({ url: Type.String(), username: Type.Optional(Type.String()), password: Type.Optional(Type.String()) }, { additionalProperties: false })),
  prometheus: Type.Optional(Type.Object({ url: Type.String(), username: Type.Optional(Type.String()), password: Type.Optional(Type.String()), intervalMs: Type.Optional(Type.Integer({ minimum: 100 })) }, { additionalProperties: false })),
  echo: Probe(30000, 10000, 'C-ECHO', {}),
  find: Probe(300000, 20000, 'C-FIND', { studyDate: Type.Optional(Type.String({ pattern: '^\\d{8}$', description: 'Day queried (YYYYMMDD); default: today.' })) }),
  retrieve: Probe(900000, 120000, 'retrieval', {}),
  canaries: Type.Array(Type.Object({
    name: PacsSlug,
    studyInstanceUid: Type.String({ pattern: '^[0-9.]{1,64}$' }),
    studyDate: Type.Optional(Type.String({ pattern: '^\\d{8}$' })),
    ageBucket: Type.Optional(StudyAgeBucket),
    tier: Type.Optional(PacsSlug),
    method: Type.Optional(Type.Union([Type.Literal('c-get'), Type.Literal('wado-rs')])),
  }, { additionalProperties: false }), { default: [] }),
  tiers: Type.Array(Type.Object({
    name: PacsSlug,
    source: Type.Union([Type.Literal('statfs'), Type.Literal('folder'), Type.Literal('orthanc')]),
    path: Type.Optional(Type.String()),
    capacityBytes: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    intervalMs: Type.Optional(Type.Integer({ minimum: 100 })),
  }, { additionalProperties: false }), { default: [] }),
}, { additionalProperties: false });
export type PacsTarget = Static<typeof PacsTarget>;
