import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextNovelty } from '../../models/src/anomaly/context-novelty.js';

const wave = (i: number): number => [0, 1, 2, 3, 2, 1][i % 6]!;

test('a repeating pattern stops looking new; a broken rhythm and a new extreme look new', () => {
  const c = new ContextNovelty({ levels: 8, order: 4 });
  const early: number[] = [];
  for (let i = 0; i < 12; i++) early.push(c.update(wave(i)));
  assert.ok(early.slice(1, 6).some((v) => v > 0), 'first pass is novel');
  // The first few contexts were learned while the range was still growing (other levels); one more period
  // replaces them.
  for (let i = 12; i < 30; i++) c.update(wave(i));
  const settled: number[] = [];
  for (let i = 30; i < 300; i++) settled.push(c.update(wave(i)));
  assert.equal(Math.max(...settled), 0, 'a learned rhythm is never novel');
  // The last value was a falling 1; a jump to 3 never followed it in any context.
  assert.equal(c.update(3), 1);
  const d = new ContextNovelty({ levels: 8, order: 4 });
  for (let i = 0; i < 300; i++) d.update(wave(i));
  assert.equal(d.update(1), 1, 'a value above the range seen is a new level in every context');
});

test('levels follow the range seen so far, with levels beyond both ends', () => {
  const c = new ContextNovelty({ levels: 4, order: 2 });
  c.update(0);
  c.update(8);
  assert.equal(c.level(1), 0);
  assert.equal(c.level(7.9), 3);
  assert.equal(c.level(-1), -1);
  assert.equal(c.level(9), 4);
});

test('with a resolution, the first step of a count that was always 0 is not new; a burst is', () => {
  const c = new ContextNovelty({ levels: 12, order: 4, resolution: 1 });
  for (let i = 0; i < 200; i++) c.update(0);
  assert.equal(c.update(1), 0);
  assert.equal(c.update(8), 1);
});

test('memory stays bounded on a never-repeating stream', () => {
  const c = new ContextNovelty({ levels: 16, order: 6, maxContexts: 500 });
  for (let i = 0; i < 5000; i++) c.update(Math.sin(i * 12.9898) * 43758.5453 % 1);
  assert.ok((c as unknown as { seen: Map<string, number> }).seen.size <= 500);
});
