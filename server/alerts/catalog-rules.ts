// Default threshold rules derived from the metric catalog: one rule per metric and side (low/high) per
// modality, with warning and critical levels, and a recovery level halfway back to the normal range so a
// value hovering at the limit does not flap.
import { metricCatalog, type MetricDefinition } from '../../contracts/metric-catalog.js';
import type { ThresholdRule } from '../../contracts/alert-rules.js';
import type { Modality } from '../../contracts/common.js';

function recoverLevel(side: 'low' | 'high', m: MetricDefinition, first: number): number {
  const normalEdge = side === 'low' ? m.normal[0] : m.normal[1];
  const mid = first + (normalEdge - first) / 2;
  // A normal range that does not reach past the limit (booleans) gives no band: recover at the limit.
  return side === 'low' ? Math.max(first, mid) : Math.min(first, mid);
}

export function catalogRules(forMs: number): ThresholdRule[] {
  const rules: ThresholdRule[] = [];
  for (const [modality, metrics] of Object.entries(metricCatalog.modalities) as [Modality, MetricDefinition[]][]) {
    for (const m of metrics) {
      for (const side of ['low', 'high'] as const) {
        const warning = m.warning?.[side];
        const critical = m.critical?.[side];
        if (warning === undefined && critical === undefined) continue;
        const first = (warning ?? critical) as number;
        rules.push({
          id: `catalog.${modality}.${m.name}.${side}`,
          kind: 'threshold',
          title: `${m.label} ${side === 'low' ? 'low' : 'high'}`,
          metric: m.name,
          op: side === 'low' ? 'below' : 'above',
          ...(warning !== undefined ? { warning } : {}),
          ...(critical !== undefined ? { critical } : {}),
          recover: recoverLevel(side, m, first),
          for: forMs,
          scope: { modality: [modality] },
          roles: ['biomed'],
        });
      }
    }
  }
  return rules;
}
