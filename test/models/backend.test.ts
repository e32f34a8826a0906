import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, getBackendName, tf } from '../../models/src/backend.js';

test('initBackend picks a working backend once, logs it and reports it', async () => {
  const logged: string[] = [];
  const name = await initBackend({ log: (m) => logged.push(m) });
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(name));
  assert.equal(await initBackend(), name);
  assert.equal(getBackendName(), name);
  assert.equal(tf.getBackend(), name);
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, new RegExp(name));
  // tfjs-node cannot be installed on the build machines; the fallback must still compute.
  assert.deepEqual(Array.from(tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync()), [4, 6]);
});
