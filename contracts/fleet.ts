// Fleet registry: sites and scanners as the hospital declares them, plus scanners seen on MQTT that nobody
// registered (listed, never dropped or silently added).
import { Type, type Static } from '@sinclair/typebox';
import { Modality, Slug } from './common.js';

export const Site = Type.Object(
  { id: Slug, name: Type.String({ minLength: 1, maxLength: 200 }), timezone: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
export type Site = Static<typeof Site>;

const Labels = Type.Record(Type.String({ pattern: '^[a-z0-9_.-]{1,64}$' }), Type.String({ maxLength: 200 }), { maxProperties: 50 });

export const Scanner = Type.Object(
  {
    id: Slug,
    site: Slug,
    modality: Modality,
    vendor: Type.String({ maxLength: 100 }),
    model: Type.String({ maxLength: 100 }),
    serial: Type.String({ maxLength: 100 }),
    installDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })),
    labels: Type.Optional(Labels),
  },
  { additionalProperties: false },
);
export type Scanner = Static<typeof Scanner>;

export const ScannerUpdate = Type.Partial(Type.Omit(Scanner, ['id']), { additionalProperties: false, minProperties: 1 });
export type ScannerUpdate = Static<typeof ScannerUpdate>;

export const UnregisteredScanner = Type.Object({
  scannerId: Slug,
  site: Slug,
  modality: Modality,
  firstSeen: Type.Number(),
  lastSeen: Type.Number(),
  messages: Type.Integer(),
});
export type UnregisteredScanner = Static<typeof UnregisteredScanner>;

/** The registry file (config `fleet.registryFile`). */
export const FleetFile = Type.Object(
  { sites: Type.Array(Site), scanners: Type.Array(Scanner) },
  { additionalProperties: false },
);
export type FleetFile = Static<typeof FleetFile>;

export const FleetQuery = Type.Object({ site: Type.Optional(Slug), modality: Type.Optional(Modality) }, { additionalProperties: false });
export type FleetQuery = Static<typeof FleetQuery>;
