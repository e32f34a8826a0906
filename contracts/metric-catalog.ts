// Schema of the metric catalog (contracts/metric-catalog.json). The catalog is data, not code: the
// simulator, default alert rules, the collector's unknown-metric check and the dashboard all read it.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Modality } from './common.js';
import catalogJson from './metric-catalog.json' with { type: 'json' };

const Limits = Type.Object({ low: Type.Optional(Type.Number()), high: Type.Optional(Type.Number()) }, { additionalProperties: false });

export const MetricDefinition = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
    label: Type.String(),
    unit: Type.String(),
    normal: Type.Tuple([Type.Number(), Type.Number()], { description: 'typical operating range [min, max]' }),
    plausible: Type.Tuple([Type.Number(), Type.Number()], {
      description: 'physically possible range [min, max] of the sensor, with margin for noise: values outside are rejected at ingest (implausible_value), so one broken or hostile device cannot poison means and charts',
    }),
    warning: Type.Optional(Limits),
    critical: Type.Optional(Limits),
    key: Type.Optional(Type.Boolean({ description: 'shown on the fleet tile' })),
    followsLoad: Type.Optional(Type.Boolean({ description: 'rises and falls with exam load within minutes: its short-term ramps are exams, not faults, so live forecasts use only its multi-day trend' })),
    intermittent: Type.Optional(Type.Boolean({ description: 'on/off metric, 0 while idle (e.g. between exams): anomaly detection compares active values only with active values' })),
    meaning: Type.String(),
  },
  { additionalProperties: false },
);
export type MetricDefinition = Static<typeof MetricDefinition>;

export const MetricCatalog = Type.Object({
  version: Type.Integer(),
  modalities: Type.Record(Modality, Type.Array(MetricDefinition)),
});
export type MetricCatalog = Static<typeof MetricCatalog>;

function load(): MetricCatalog {
  if (!Value.Check(MetricCatalog, catalogJson)) {
    const first = Value.Errors(MetricCatalog, catalogJson).First();
    throw new Error(`contracts/metric-catalog.json is invalid at ${first?.path ?? '/'}: ${first?.message ?? 'unknown'}`);
  }
  return catalogJson;
}

export const metricCatalog: MetricCatalog = load();

export function metricsFor(modality: Modality): readonly MetricDefinition[] {
  return metricCatalog.modalities[modality] ?? [];
}

export function findMetric(modality: Modality, name: string): MetricDefinition | undefined {
  return metricsFor(modality).find((m) => m.name === name);
}
