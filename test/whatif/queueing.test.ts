// Correctness anchor of the what-if twin: configured as an M/M/c queue (Poisson arrivals around the clock,
// exponential exam times, c always-available scanners), the simulated mean wait must agree with Erlang C.
// By Burke's theorem the scanners' departures are Poisson too, so the reading pool is a second M/M/c queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SiteModel } from '../../contracts/whatif.js';
import { runReplications } from '../../server/whatif/experiment.js';
import { estimate, t975 } from '../../server/whatif/stats.js';

/** Erlang C: probability of waiting, and mean wait in queue (hours), for arrival rate λ, service rate μ, c servers. */
function erlangC(lambda: number, mu: number, c: number): { pWait: number; wq: number } {
  const a = lambda / mu;
  const rho = a / c;
  let term = 1;
  let sum = 1; // k = 0
  for (let k = 1; k < c; k++) { term *= a / k; sum += term; }
  const last = (term * a) / c / (1 - rho); // a^c / c! / (1 - ρ)
  const pWait = last / (sum + last);
  return { pWait, wq: pWait / (c * mu - lambda) };
}

function mmcModel(lambda: number, examMin: number, c: number, readMin: number, radiologists: number): SiteModel {
  return {
    site: 'queue',
    modalities: [{
      modality: 'ct',
      arrivalsPerHour: new Array<number>(24).fill(lambda),
      exam: { meanMinutes: examMin, cv: 1, distribution: 'exponential' },
      read: { meanMinutes: readMin, cv: 1, distribution: 'exponential' },
      openHours: { start: 0, end: 24 },
      scanners: Array.from({ length: c }, (_, i) => ({ id: `ct-${i + 1}`, availability: 1, mttrHours: 1 })),
    }],
    reading: { radiologists, hours: { start: 0, end: 24 } },
  };
}

test('Erlang C reference values', () => {
  // Textbook check: λ = 4, μ = 2.5, c = 2 gives C = 0.7111, Wq = 0.7111 h.
  const r = erlangC(4, 2.5, 2);
  assert.ok(Math.abs(r.pWait - 0.71111) < 1e-4);
  assert.ok(Math.abs(r.wq - 0.71111) < 1e-4);
  assert.equal(t975(19), 2.093);
});

for (const { lambda, examMin, c, readMin, rads } of [
  { lambda: 4, examMin: 24, c: 2, readMin: 20, rads: 2 }, // ρ = 0.8 at the scanners, 0.667 at reading
  { lambda: 7.5, examMin: 20, c: 3, readMin: 15, rads: 3 }, // ρ = 0.833, 0.625
]) {
  test(`M/M/${c} with ρ = ${((lambda * examMin) / 60 / c).toFixed(3)}: mean wait and turnaround within the replications' 95 % CI`, () => {
    const runs = runReplications(mmcModel(lambda, examMin, c, readMin, rads), [], { replications: 20, days: 60, warmupDays: 5, seed: 11 }, { ct: lambda });
    const wait = estimate(runs.map((r) => r.modalities.ct?.waitMeanMin ?? NaN));
    const util = estimate(runs.map((r) => r.modalities.ct?.utilizationPct ?? NaN));
    const tat = estimate(runs.map((r) => r.reading.turnaroundMeanH));
    const expectedWaitMin = erlangC(lambda, 60 / examMin, c).wq * 60;
    const expectedTatH = erlangC(lambda, 60 / readMin, rads).wq + readMin / 60;
    const expectedUtil = (100 * lambda * examMin) / 60 / c;
    assert.ok(wait.ciLow <= expectedWaitMin && expectedWaitMin <= wait.ciHigh, `Erlang C Wq ${expectedWaitMin.toFixed(2)} min outside CI ${JSON.stringify(wait)}`);
    assert.ok(tat.ciLow <= expectedTatH && expectedTatH <= tat.ciHigh, `reading turnaround ${expectedTatH.toFixed(3)} h outside CI ${JSON.stringify(tat)}`);
    assert.ok(util.ciLow <= expectedUtil && expectedUtil <= util.ciHigh, `utilization ${expectedUtil} % outside CI ${JSON.stringify(util)}`);
    // The interval must be informative, not just wide enough to contain anything.
    assert.ok(wait.ciHigh - wait.ciLow < 0.25 * expectedWaitMin, `CI too wide: ${JSON.stringify(wait)}`);
    assert.ok(runs.every((r) => r.site.unfinished === 0));
  });
}

test('scanner failures (availability 0.9, MTTR 10 h) lengthen waits well beyond the M/M/1 value', () => {
  // A lightly loaded single scanner with availability 0.9 (MTTR 10 h): busy share stays ρ, but patients wait
  // through repairs, so the mean wait is far above the no-failure M/M/1 value.
  const model = mmcModel(1, 20, 1, 10, 5);
  const noFail = runReplications(model, [], { replications: 8, days: 40, warmupDays: 2, seed: 3 }, { ct: 1 });
  const m2 = structuredClone(model);
  m2.modalities[0]?.scanners.splice(0, 1, { id: 'ct-1', availability: 0.9, mttrHours: 10 });
  const withFail = runReplications(m2, [], { replications: 8, days: 40, warmupDays: 2, seed: 3 }, { ct: 1 });
  const w0 = estimate(noFail.map((r) => r.modalities.ct?.waitMeanMin ?? NaN));
  const w1 = estimate(withFail.map((r) => r.modalities.ct?.waitMeanMin ?? NaN));
  assert.ok(Math.abs(w0.mean - erlangC(1, 3, 1).wq * 60) < 2, `M/M/1 wait ${w0.mean}`);
  assert.ok(w1.ciLow > w0.ciHigh * 3, `failures should lengthen waits: ${w0.mean} vs ${w1.mean}`);
});
