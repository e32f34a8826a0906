import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from './backend.js';

export interface ArtifactMetadata {
  name: string;
  version: string;
  kind: 'anomaly-detector' | 'rul';
  createdAt: string;
  backend: string;
  /** What the model was trained on: first/last sample time, row count, and where it came from. */
  dataWindow: { from: string | null; to: string | null; rows: number; source: string };
  metrics: Record<string, number>;
  /** sha256 over training data and configuration: same hash, same inputs. */
  trainingHash: string;
  config: unknown;
  /** Names of the input columns in order, so a loader can map live metrics onto them. */
  features: string[];
}

export interface LoadedArtifact<N, C> {
  dir: string;
  model: tf.LayersModel;
  normalization: N;
  calibration: C;
  metadata: ArtifactMetadata;
}

export function trainingHash(...parts: unknown[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? p : JSON.stringify(p));
  return h.digest('hex');
}

/** Versions sort by name; the default version format (UTC timestamp) sorts chronologically. */
export function listVersions(root: string, name: string): string[] {
  const dir = join(root, name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'model.json')))
    .map((d) => d.name)
    .sort();
}

export function newVersion(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out.buffer;
}

/** Writes models/artifacts/<name>/<version>/{model.json, weights.bin, normalization.json, calibration.json, metadata.json}. */
export async function saveArtifact(root: string, model: tf.LayersModel, normalization: unknown, calibration: unknown, metadata: ArtifactMetadata): Promise<string> {
  const dir = join(root, metadata.name, metadata.version);
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (!artifacts.weightData || !artifacts.weightSpecs) throw new Error('model has no weights to save');
      writeFileSync(join(dir, 'weights.bin'), Buffer.from(toArrayBuffer(artifacts.weightData)));
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  writeFileSync(join(dir, 'normalization.json'), `${JSON.stringify(normalization, null, 2)}\n`);
  writeFileSync(join(dir, 'calibration.json'), `${JSON.stringify(calibration, null, 2)}\n`);
  writeFileSync(join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  return dir;
}

/** Loads one version (default: the newest) without tfjs-node's file:// handler. */
export async function loadArtifact<N, C>(root: string, name: string, version?: string): Promise<LoadedArtifact<N, C>> {
  const v = version ?? listVersions(root, name).at(-1);
  if (!v) throw new Error(`no artifact versions of ${name} under ${root}`);
  const dir = join(root, name, v);
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  const weights = readFileSync(join(dir, 'weights.bin'));
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData }));
  const read = <T>(file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
  return { dir, model, normalization: read<N>('normalization.json'), calibration: read<C>('calibration.json'), metadata: read<ArtifactMetadata>('metadata.json') };
}
