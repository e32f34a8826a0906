// Crafted status histories whose figures are computed by hand in the tests (times in hours from T0).
import type { StatusRecord, Window } from '../../server/downtime/timeline.js';

export const H = 3_600_000;
/** Monday 2026-01-05 00:00 UTC (ISO week 2026-W02). */
export const T0 = Date.UTC(2026, 0, 5);
export const at = (hours: number) => T0 + hours * H;

/**
 * Scanner A (MRI), range [0, 40):
 *   status up@0, down@10 "gradient coil", up@14, degraded@20, up@30; maintenance window [12, 16);
 *   no-data [5, 7) and [22, 26).
 * Timeline: up 0-5, unknown 5-7, up 7-10, down 10-12, maintenance 12-16, up 16-20, degraded 20-22,
 *   unknown 22-26, degraded 26-30, up 30-40.
 * Hours: up 22, degraded 6, down 2, maintenance 4, unknown 6. One failure (10-12, cut short by the window).
 */
export const scannerA = {
  status: [
    { ts: at(30), state: 'up' },
    { ts: at(0), state: 'up' },
    { ts: at(14), state: 'up' },
    { ts: at(10), state: 'down', reason: 'gradient coil' },
    { ts: at(20), state: 'degraded' },
  ] as StatusRecord[],
  maintenance: [{ start: at(12), end: at(16), reason: 'planned PM' }] as Window[],
  noData: [{ start: at(5), end: at(7) }, { start: at(22), end: at(26) }] as Window[],
};

/**
 * Scanner B (CT), range [0, 40):
 *   status down@-5 (carried into the range), up@3, down@8, up@10, down@13, up@15, down@30 (still down at 40);
 *   no-data [10, 13) hides the "up" at 10, so 8-15 is one episode.
 * Timeline: down -5..3, up 3-8, down 8-10, unknown 10-13, down 13-15, up 15-30, down 30-40.
 * In range: up 20, down 17, unknown 3. Failures: 2 (the one from -5 began before the range):
 *   8-15 with 4 h down, 30-40 with 10 h. MTTR 7 h, MTBF 20 / 2 = 10 h, availability 20 / 37.
 */
export const scannerB = {
  status: [
    { ts: at(-5), state: 'down', reason: 'tube arc' },
    { ts: at(3), state: 'up' },
    { ts: at(8), state: 'down' },
    { ts: at(10), state: 'up' },
    { ts: at(13), state: 'down' },
    { ts: at(15), state: 'up' },
    { ts: at(30), state: 'down' },
  ] as StatusRecord[],
  noData: [{ start: at(10), end: at(13) }] as Window[],
};
