// What the simulated fleet publishes must pass the ingest's plausible-range check, in health and through
// every fault kind up to failure (and a demo-speed injected leak): a value outside the catalog's physical
// range rejects the whole message, so the demo and the tests built on it would silently lose readings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Modality } from '../../contracts/common.js';
import { findMetric } from '../../contracts/metric-catalog.js';
import { FAULT_KINDS, FAULTS } from '../../collectors/simulator/faults.js';
import { fleetLayout } from '../../collectors/simulator/fleet.js';
import { buildFleet, simulateSteps } from '../../collectors/simulator/scenario.js';
import { HOUR } from '../../contracts/units.js';

function outside(readings: Iterable<{ reading: { scannerId: string; modality: Modality; metrics: Record<string, number> } }>): string[] {
  let checked = 0;
  const bad: string[] = [];
  for (const { reading } of readings) {
    for (const [name, v] of Object.entries(reading.metrics)) {
      const range = findMetric(reading.modality, name)?.plausible;
      assert.ok(range, `${name} has a plausible range`);
      checked++;
      if (range && !(v >= range[0] && v <= range[1])) bad.push(`${reading.scannerId} ${name}=${v}`);
    }
  }
  assert.ok(checked > 0, 'values were checked');
  return bad;
}

test('every fault kind, run to failure and past it, stays inside the plausible ranges', () => {
  const specs = fleetLayout(12);
  const start = Date.UTC(2026, 0, 5);
  const faults = FAULT_KINDS.flatMap((kind) => specs.filter((s) => FAULTS[kind].modalities.includes(s.modality)).slice(0, 1)
    .map((s) => ({ kind, scannerId: s.scannerId, onsetMs: start + HOUR, failureMs: start + 13 * HOUR })));
  const bad = outside(simulateSteps(buildFleet(12, 3, faults as never), start, start + 20 * HOUR, 60_000));
  assert.deepEqual(bad.slice(0, 10), [], `${bad.length} implausible values`);
});

test('a demo-speed injected helium leak (8 %/s) stays inside the plausible ranges', () => {
  const [scanner] = buildFleet(12, 1, []).filter((s) => s.spec.modality === 'mri');
  assert.ok(scanner);
  const t0 = Date.UTC(2026, 0, 5);
  scanner.injectFault('helium_leak', t0, 8);
  const steps = Array.from({ length: 60 }, (_, i) => ({ reading: scanner.sample(t0 + i * 500, 0.5) }));
  assert.deepEqual(outside(steps), []);
});
