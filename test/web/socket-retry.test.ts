// The dashboard's reconnection back-off: doubling from the first delay, capped, and spread by jitter so the
// pages of a dead instance do not all reach the survivor in the same instant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RETRY, retryDelay } from '../../web/src/data/socket.js';

test('retry delays double up to the cap, within the jitter band', () => {
  const mid = (n: number) => retryDelay(n, () => 0.5);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map(mid), [500, 1000, 2000, 4000, 5000, 5000, 5000]);
  assert.equal(retryDelay(0, () => 0), RETRY.firstMs * (1 - RETRY.jitter));
  assert.equal(retryDelay(20, () => 1), RETRY.maxMs * (1 + RETRY.jitter));
});
