// The alert gates eval:fleet measures are the shipped rules' (rules/scanners.yaml): the fleet-wide anomaly
// rule and the predictive rule over every forecast metric, read and validated by the server's own loader.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { AnomalyRule, PredictiveRule } from '../../contracts/alert-rules.js';
import type { AnomalyGateConfig, ForecastGateConfig } from '../../models/src/alerting/gating.js';
import { toMs } from '../../server/alerts/duration.js';
import { validateRule } from '../../server/alerts/rules-loader.js';

export interface ShippedGates { anomaly: AnomalyGateConfig; forecast: ForecastGateConfig; anomalyRule: string; forecastRule: string }

export function shippedGates(file = 'rules/scanners.yaml'): ShippedGates {
  const doc = parseYaml(readFileSync(file, 'utf8')) as { rules?: unknown[] };
  const rules = (doc.rules ?? []).map((r) => validateRule(r, file));
  const bad = rules.find((r): r is string => typeof r === 'string');
  if (bad) throw new Error(bad);
  const valid = rules.filter((r) => typeof r !== 'string');
  const a = valid.find((r): r is AnomalyRule => r.kind === 'anomaly' && !r.scope);
  const f = valid.find((r): r is PredictiveRule => r.kind === 'predictive' && r.metric === undefined && !r.scope);
  if (!a || !f) throw new Error(`${file}: needs a fleet-wide anomaly rule and a predictive rule without metric`);
  const horizonMs = toMs(f.horizon);
  return {
    anomaly: { n: a.n, m: a.m, recoverN: a.recoverN ?? 0 },
    forecast: { horizonMs, persistMs: toMs(f.persist), recoverHorizonMs: toMs(f.recoverHorizon, horizonMs * 1.2) },
    anomalyRule: a.id,
    forecastRule: f.id,
  };
}
