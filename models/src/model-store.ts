import { saveArtifact, loadArtifact, type ArtifactMetadata } from './artifacts.js';
import { StreamingAnomalyDetector, type DetectorConfig, type DetectorState } from './anomaly/streaming-detector.js';
import { RulModel, type RulConfig } from './rul/rul-model.js';
import type { Normalization } from './anomaly/window-forecaster.js';

type Meta = Omit<ArtifactMetadata, 'kind' | 'config'>;

export async function saveDetector(root: string, detector: StreamingAnomalyDetector, meta: Meta): Promise<string> {
  const state = detector.exportState();
  return saveArtifact(root, state.model, state.normalization, state.calibration, { ...meta, kind: 'anomaly-detector', config: state.config });
}

/**
 * A detector restored from disk scores from its first full window; `overrides` may change runtime
 * knobs (threshold, refitEvery: 0 to freeze the weights) but not the network shape.
 */
export async function loadDetector(
  root: string,
  name: string,
  version?: string,
  overrides: Partial<DetectorConfig> = {},
): Promise<{ detector: StreamingAnomalyDetector; metadata: ArtifactMetadata }> {
  const a = await loadArtifact<Normalization, DetectorState['calibration']>(root, name, version);
  if (a.metadata.kind !== 'anomaly-detector') throw new Error(`${a.dir} holds a ${a.metadata.kind} model`);
  const state: DetectorState = { config: a.metadata.config as DetectorConfig, normalization: a.normalization, calibration: a.calibration, model: a.model };
  return { detector: StreamingAnomalyDetector.fromState(state, overrides), metadata: a.metadata };
}

interface RulNormalization extends Normalization {
  columns: number[];
}

export async function saveRul(root: string, model: RulModel, meta: Meta): Promise<string> {
  const { config, columns, normalization } = model.state;
  return saveArtifact(root, model.state.model, { ...normalization, columns }, { cap: config.cap }, { ...meta, kind: 'rul', config });
}

export async function loadRul(root: string, name: string, version?: string): Promise<{ model: RulModel; metadata: ArtifactMetadata }> {
  const a = await loadArtifact<RulNormalization, { cap: number }>(root, name, version);
  if (a.metadata.kind !== 'rul') throw new Error(`${a.dir} holds a ${a.metadata.kind} model`);
  const { columns, center, scale } = a.normalization;
  const model = RulModel.fromState({ config: a.metadata.config as RulConfig, columns, normalization: { center, scale }, model: a.model });
  return { model, metadata: a.metadata };
}
