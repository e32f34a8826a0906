// The simulated PACS's fault schedule: every fault kind once per cycle, in a seeded order, each for one
// window. The first window opens one window-length after the start, so a fresh `npm start` shows a fault
// (and its alert) within a minute. What a probe starting inside a window must report is the ground truth.
import { PACS_SIM_FAULT_KINDS, type PacsSimExpectation, type PacsSimFaultKind, type PacsSimFaultWindow } from '../../contracts/pacs-simulator.js';
import { seededRandom } from '../../lib/random.js';

/** Slow recalls take at least this long (seconds, before time scaling): above the 5 s retrieval threshold. */
export const SLOW_RECALL_MIN_S = 6.5;

const ALL = ['echo', 'find', 'retrieve'] as const;

export function expectationOf(kind: PacsSimFaultKind, timeScale: number): PacsSimExpectation {
  switch (kind) {
    case 'unknown_calling_ae': return { probes: [...ALL], ok: false, cause: 'association_rejected', code: 'calling_ae_not_recognized' };
    case 'timeout': return { probes: [...ALL], ok: false, cause: 'timeout' };
    case 'abort': return { probes: [...ALL], ok: false, cause: 'association_aborted' };
    case 'outage': return { probes: [...ALL], ok: false, cause: 'tcp_refused' };
    case 'slow_recall': return { probes: ['retrieve'], ok: true, tiers: ['archive'], minDurationMs: SLOW_RECALL_MIN_S * 1000 * timeScale };
  }
}

export interface ScheduleOptions { seed: number; startMs: number; cycleMs: number; windowMs: number; timeScale: number }

interface Slot { kind: PacsSimFaultKind; offsetMs: number; durationMs: number }

/** A slow recall lasts three windows (tape / cold-object recall episodes last minutes), so that over the
 *  hour of the retrieval percentiles more than 5 % of archive retrievals are slow and p95 crosses 5 s. */
const LENGTH: Partial<Record<PacsSimFaultKind, number>> = { slow_recall: 3 };

export class FaultSchedule {
  private readonly slots: Slot[];

  constructor(private readonly o: ScheduleOptions) {
    const rand = seededRandom(o.seed * 977 + 3);
    const kinds = [...PACS_SIM_FAULT_KINDS].sort(() => rand() - 0.5);
    // A slow recall shows only on archive retrievals; a failing fault first makes the first minute telling.
    if (kinds[0] === 'slow_recall') kinds.push(kinds.shift() as PacsSimFaultKind);
    // One slot per kind; the window opens one window-length into its slot (or later, to end with it).
    const spacing = o.cycleMs / kinds.length;
    const lead = Math.max(0, Math.min(o.windowMs, spacing - o.windowMs));
    this.slots = kinds.map((kind, i) => ({ kind, offsetMs: lead + i * spacing, durationMs: Math.min((LENGTH[kind] ?? 1) * o.windowMs, spacing - lead) }));
  }

  get cycleMs(): number { return this.o.cycleMs; }

  /** The fault active at `t`, if any. */
  at(t: number): PacsSimFaultKind | undefined {
    if (t < this.o.startMs) return undefined;
    const inCycle = (t - this.o.startMs) % this.o.cycleMs;
    return this.slots.find((s) => inCycle >= s.offsetMs && inCycle < s.offsetMs + s.durationMs)?.kind;
  }

  /** How many windows have started by `t` (cheap: the simulator checks it on every tick). */
  startedCount(t: number): number {
    if (t < this.o.startMs) return 0;
    const cycles = Math.floor((t - this.o.startMs) / this.o.cycleMs);
    const inCycle = (t - this.o.startMs) % this.o.cycleMs;
    return cycles * this.slots.length + this.slots.filter((s) => s.offsetMs <= inCycle).length;
  }

  /** Every window that starts before `untilMs`. */
  windows(untilMs: number): PacsSimFaultWindow[] {
    const out: PacsSimFaultWindow[] = [];
    for (let c = 0; this.o.startMs + c * this.o.cycleMs < untilMs; c += 1) {
      for (const s of this.slots) {
        const startMs = this.o.startMs + c * this.o.cycleMs + s.offsetMs;
        if (startMs >= untilMs) continue;
        out.push({ kind: s.kind, startMs, endMs: startMs + s.durationMs, start: new Date(startMs).toISOString(), expect: expectationOf(s.kind, this.o.timeScale) });
      }
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  }
}
