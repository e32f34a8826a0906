import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ticker } from '../../web/src/data/ticker.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('many requests within an interval flush once, and every dirty store flushes in that one tick', async () => {
  const t = new Ticker(100);
  let a = 0, b = 0;
  const fa = () => a++, fb = () => b++;
  for (let i = 0; i < 50; i++) { t.request(fa); t.request(fb); }
  await sleep(60);
  assert.deepEqual([a, b, t.flushes], [1, 1, 1]);
  t.request(fa);
  await sleep(20);
  assert.equal(a, 1, 'flushed again before the interval was over');
  await sleep(150);
  assert.equal(a, 2);
});

test('forgetting the last pending flush cancels the tick', async () => {
  const t = new Ticker(50);
  let n = 0;
  const f = () => n++;
  t.request(f);
  t.forget(f);
  await sleep(120);
  assert.equal(n, 0);
  assert.equal(t.flushes, 0);
});
