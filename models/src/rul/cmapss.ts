import { readFileSync } from 'node:fs';

/** One engine (or one scanner): rows of raw readings in cycle order. */
export interface UnitSeries {
  unit: number;
  cycles: number[];
  rows: number[][];
}

export const CMAPSS_COLUMNS = [
  'setting1', 'setting2', 'setting3',
  ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`),
];

/** Parses the C-MAPSS text layout: unit, cycle, 3 settings, 21 sensors, space-separated. */
export function readCmapss(path: string): UnitSeries[] {
  const byUnit = new Map<number, UnitSeries>();
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const cells = line.trim().split(/\s+/).map(Number);
    if (cells.length < 5 || cells.some((v) => !Number.isFinite(v))) continue;
    const [unit, cycle, ...rest] = cells as [number, number, ...number[]];
    let u = byUnit.get(unit);
    if (!u) {
      u = { unit, cycles: [], rows: [] };
      byUnit.set(unit, u);
    }
    u.cycles.push(cycle);
    u.rows.push(rest);
  }
  return [...byUnit.values()].sort((a, b) => a.unit - b.unit);
}

/** RUL_FDxxx.txt: the true remaining life after each test unit's last row, one per line. */
export function readRulFile(path: string): number[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map(Number);
}

export function rmse(pred: number[], truth: number[]): number {
  const s = pred.reduce((acc, p, i) => acc + (p - truth[i]!) ** 2, 0);
  return Math.sqrt(s / Math.max(1, pred.length));
}

/** PHM08 challenge score: late predictions (d > 0) are penalised harder than early ones. */
export function phm08Score(pred: number[], truth: number[]): number {
  return pred.reduce((acc, p, i) => {
    const d = p - truth[i]!;
    return acc + (d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1);
  }, 0);
}

/**
 * Emulates the official test layout from run-to-failure units: each unit is cut at `cuts` random
 * points (seeded), keeping at least `minRows` (and leaving at most `maxRul`), and the truth is the life
 * left after the cut.
 */
export function truncateUnits(units: UnitSeries[], cuts: number, minRows: number, seed: number, maxRul = Number.POSITIVE_INFINITY): { units: UnitSeries[]; truth: number[] } {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const out: UnitSeries[] = [];
  const truth: number[] = [];
  for (const u of units) {
    const n = u.rows.length;
    for (let k = 0; k < cuts; k++) {
      // With maxRul, the life left is drawn uniformly up to it (the official FD001 test's true RULs run
      // 7-145), instead of cutting uniformly over the whole life.
      const lo = Math.max(minRows, n - maxRul);
      const keep = Math.min(n, lo + Math.floor(rand() * Math.max(1, n - lo)));
      out.push({ unit: u.unit, cycles: u.cycles.slice(0, keep), rows: u.rows.slice(0, keep) });
      truth.push(n - keep);
    }
  }
  return { units: out, truth };
}
