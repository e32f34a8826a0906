// Exam schedule of a simulated scanner. Each UTC day's exams are drawn from a generator seeded by the
// scanner and the day, so the schedule does not depend on the sampling step: a backfill at one sample a
// minute and a live run at 10 Hz see the same exams.
import type { Modality } from '../../contracts/index.js';
import { seededRandom } from '../../lib/random.js';
import { DAY } from '../../contracts/units.js';

export interface Exam { start: number; end: number; intensity: number; examType: string }

// [min, max] exam minutes, gap minutes, exam types
const PROFILE: Record<Modality, { len: [number, number]; gap: [number, number]; types: string[] }> = {
  mri: { len: [20, 50], gap: [5, 25], types: ['brain', 'spine', 'knee', 'cardiac', 'abdomen'] },
  ct: { len: [5, 15], gap: [3, 20], types: ['head', 'chest', 'abdomen', 'angio'] },
  petct: { len: [25, 40], gap: [15, 40], types: ['fdg-whole-body', 'psma'] },
  xray: { len: [2, 6], gap: [2, 15], types: ['chest', 'extremity', 'spine'] },
  us: { len: [15, 30], gap: [5, 20], types: ['abdomen', 'obstetric', 'vascular'] },
};

export class ExamSchedule {
  private readonly days = new Map<number, Exam[]>();

  constructor(private readonly modality: Modality, private readonly seed: number) {}

  private day(dayIndex: number): Exam[] {
    let exams = this.days.get(dayIndex);
    if (exams) return exams;
    const rand = seededRandom(this.seed * 1000003 + dayIndex);
    const weekday = new Date(dayIndex * DAY).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    exams = [];
    if (!weekend || rand() < 0.5) {
      const p = PROFILE[this.modality];
      const open = dayIndex * DAY + (weekend ? 8 : 7) * 3600000 + rand() * 1800000;
      const close = dayIndex * DAY + (weekend ? 13 : 19.5) * 3600000;
      const between = (r: [number, number]) => (r[0] + rand() * (r[1] - r[0])) * 60000;
      for (let t = open; t < close;) {
        const end = t + between(p.len);
        exams.push({ start: Math.round(t), end: Math.round(end), intensity: 0.6 + rand() * 0.4, examType: p.types[Math.floor(rand() * p.types.length)] as string });
        t = end + between(p.gap);
      }
    }
    if (this.days.size > 8) this.days.clear();
    this.days.set(dayIndex, exams);
    return exams;
  }

  at(t: number): Exam | undefined {
    return this.day(Math.floor(t / DAY)).find((e) => e.start <= t && t < e.end);
  }

  /** Exams that start or end in (from, to]. */
  transitions(from: number, to: number): { ts: number; type: 'exam_start' | 'exam_end'; exam: Exam }[] {
    const out: { ts: number; type: 'exam_start' | 'exam_end'; exam: Exam }[] = [];
    for (let d = Math.floor(from / DAY); d <= Math.floor(to / DAY); d++) {
      for (const exam of this.day(d)) {
        if (exam.start > from && exam.start <= to) out.push({ ts: exam.start, type: 'exam_start', exam });
        if (exam.end > from && exam.end <= to) out.push({ ts: exam.end, type: 'exam_end', exam });
      }
    }
    return out.sort((a, b) => a.ts - b.ts);
  }
}
