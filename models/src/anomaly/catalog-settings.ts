// Per-metric detector settings that follow from the metric catalog, so offline evaluation and live scoring
// treat every metric the same way: counts and booleans get a spread floor of one step, on/off metrics
// (0 between exams) are compared active-with-active, load-following metrics are left to the learned stage.
import type { MetricDefinition } from '../../../contracts/metric-catalog.js';
import type { DetectorConfig } from './streaming-detector.js';

export function detectorSettingsFor(defs: readonly Pick<MetricDefinition, 'unit' | 'intermittent' | 'followsLoad'>[]): Pick<DetectorConfig, 'dims' | 'minScale' | 'intermittent' | 'loadFollowing'> {
  return {
    dims: defs.length,
    minScale: defs.map((m) => (m.unit === 'count' || m.unit === 'bool' ? 1 : 0)),
    intermittent: defs.map((m) => m.intermittent === true),
    loadFollowing: defs.map((m) => m.followsLoad === true),
  };
}
