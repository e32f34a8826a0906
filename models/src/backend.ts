import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { MODEL_BACKENDS, type ModelBackend } from '../../contracts/model-backend.js';

export type BackendName = ModelBackend;

// PROD silences tfjs's console warnings, chiefly the cpu backend's "install our node backend" banner on
// first use: tfjs-node cannot be installed here, and the backend in use is logged by initBackend instead.
tf.env().set('PROD', true);

let active: Promise<BackendName> | null = null;
let resolvedName: BackendName | null = null;

async function tryNative(): Promise<boolean> {
  try {
    // tfjs-node is an optional dependency whose install needs a download this network blocks;
    // a variable specifier keeps bundlers and tsc from requiring it to exist.
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function trySet(name: 'wasm' | 'cpu'): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

async function pick(preferred: BackendName | undefined): Promise<BackendName> {
  const order: BackendName[] = preferred ? [preferred, ...MODEL_BACKENDS] : [...MODEL_BACKENDS];
  for (const name of order) {
    const ok = name === 'tensorflow' ? await tryNative() : await trySet(name);
    if (ok) {
      await tf.ready();
      return name;
    }
  }
  throw new Error('no TensorFlow.js backend could be initialised');
}

/**
 * Selects the fastest available backend once per process: tfjs-node, then wasm, then cpu.
 * `prefer` (tensorflow|wasm|cpu; the server passes config models.backend) overrides the first choice, for
 * benchmarks and for falling back to cpu if a wasm kernel misbehaves.
 */
export function initBackend(options: { log?: (message: string) => void; prefer?: BackendName } = {}): Promise<BackendName> {
  if (!active) {
    const preferred = options.prefer;
    active = pick(preferred).then((name) => {
      resolvedName = name;
      options.log?.(`TensorFlow.js backend: ${name}${name === 'tensorflow' ? '' : ' (tfjs-node not loaded)'}`);
      return name;
    });
  }
  return active;
}

/** Switches explicitly (used by the benchmark to measure cpu beside wasm). */
export async function useBackend(name: BackendName): Promise<BackendName> {
  const ok = name === 'tensorflow' ? await tryNative() : await trySet(name);
  if (!ok) throw new Error(`backend ${name} is not available`);
  await tf.ready();
  resolvedName = name;
  active = Promise.resolve(name);
  return name;
}

/** The backend in use, or null before initBackend() resolved; for /metrics. */
export function getBackendName(): BackendName | null {
  return resolvedName;
}

export { tf };
