// One replication of a site's imaging workflow as a discrete-event simulation (time in hours from midnight
// of day 0). Patients arrive per modality by hour of day (a non-homogeneous Poisson process, by thinning),
// wait FIFO for a free, working scanner during opening hours, and their study then waits FIFO for a
// radiologist during reading hours. Scanners fail and are repaired at random so their long-run
// availability matches the model; a failure takes effect when the exam in progress ends.
import type { ModalityModel, SiteModel } from '../../contracts/whatif.js';
import { EventQueue } from './event-queue.js';
import { exponential, mean, quantile, sampleHours, stream, type Rand } from './stats.js';

export interface Outage { scannerId: string; start: number; end: number }

export interface RunOptions {
  seed: number;
  warmupDays: number;
  days: number;
  /** Candidate arrivals per hour for thinning, per modality; kept equal across scenarios so streams align. */
  arrivalCap: Readonly<Record<string, number>>;
  outages?: readonly Outage[];
  /** After the measured period, arrivals go on for this long so late patients finish under load. */
  drainDays?: number;
}

export interface ModalityStats { waitMeanMin: number; waitP90Min: number; utilizationPct: number; examsPerDay: number }
export interface ReplicationStats {
  modalities: Record<string, ModalityStats>;
  reading: { turnaroundMeanH: number; turnaroundP90H: number; utilizationPct: number };
  site: { waitMeanMin: number; turnaroundMeanH: number; unfinished: number };
}

interface Patient { mi: number; arrival: number; examH: number; readH: number; measured: boolean; examEnd: number }
interface Scanner { id: string; mi: number; busy: boolean; down: boolean; outage: number; failPending: number; mtbf: number; mttr: number; rand: Rand }

type Ev =
  | { k: 'arrival'; mi: number }
  | { k: 'exam-end'; s: Scanner; p: Patient }
  | { k: 'fail'; s: Scanner }
  | { k: 'repair'; s: Scanner }
  | { k: 'outage'; s: Scanner; delta: 1 | -1 }
  | { k: 'open'; mi: number }
  | { k: 'read-end'; r: number; p: Patient }
  | { k: 'read-open' };

/** Whether hour-of-day window [start, end) contains t; start > end wraps past midnight, 0..24 is always. */
export function isOpen(w: { start: number; end: number }, t: number): boolean {
  if (w.end - w.start >= 24) return true;
  const h = ((t % 24) + 24) % 24;
  return w.start <= w.end ? h >= w.start && h < w.end : h >= w.start || h < w.end;
}

const overlap = (a: number, b: number, lo: number, hi: number) => Math.max(0, Math.min(b, hi) - Math.max(a, lo));

export function simulate(model: SiteModel, opts: RunOptions): ReplicationStats {
  const W0 = opts.warmupDays * 24;
  const W1 = W0 + opts.days * 24;
  const stopArrivals = W1 + (opts.drainDays ?? 7) * 24;
  const q = new EventQueue<Ev>();
  const mods: ModalityModel[] = model.modalities;
  const queues: Patient[][] = mods.map(() => []);
  const heads = mods.map(() => 0); // FIFO as array + head index: no O(n) shift
  const arrivalRand = mods.map((m) => stream(opts.seed, `arrivals:${m.modality}`));
  const scanners: Scanner[] = [];
  for (const [mi, m] of mods.entries()) {
    for (const s of m.scanners) {
      const mtbf = s.availability >= 1 ? Infinity : (s.availability * s.mttrHours) / (1 - s.availability);
      scanners.push({ id: s.id, mi, busy: false, down: false, outage: 0, failPending: 0, mtbf, mttr: s.mttrHours, rand: stream(opts.seed, `failures:${s.id}`) });
    }
  }
  const byModality = mods.map((_, mi) => scanners.filter((s) => s.mi === mi));
  const readQueue: Patient[] = [];
  let readHead = 0;
  const radBusy: boolean[] = Array.from({ length: model.reading.radiologists }, () => false);

  const waits = mods.map((): number[] => []);
  const busyH = mods.map(() => 0);
  const examsDone = mods.map(() => 0);
  const tats: number[] = [];
  let radBusyH = 0;
  let outstanding = 0;

  const scheduleArrival = (mi: number, now: number) => {
    const cap = opts.arrivalCap[mods[mi]?.modality ?? ''] ?? 0;
    if (cap > 0) q.push(now + exponential(arrivalRand[mi] as Rand, 1 / cap), { k: 'arrival', mi });
  };
  const startExams = (mi: number, now: number) => {
    const m = mods[mi] as ModalityModel;
    if (!isOpen(m.openHours, now)) return;
    const queue = queues[mi] as Patient[];
    for (const s of byModality[mi] as Scanner[]) {
      if (heads[mi] === queue.length) break;
      if (s.busy || s.down || s.outage > 0) continue;
      const p = queue[heads[mi] as number] as Patient;
      heads[mi] = (heads[mi] as number) + 1;
      s.busy = true;
      if (p.measured) (waits[mi] as number[]).push(now - p.arrival);
      busyH[mi] = (busyH[mi] as number) + overlap(now, now + p.examH, W0, W1);
      q.push(now + p.examH, { k: 'exam-end', s, p });
    }
    if ((heads[mi] as number) > 4096 && (heads[mi] as number) * 2 > queue.length) { queue.splice(0, heads[mi]); heads[mi] = 0; }
  };
  const startReads = (now: number) => {
    if (!isOpen(model.reading.hours, now)) return;
    for (let r = 0; r < radBusy.length && readHead < readQueue.length; r++) {
      if (radBusy[r]) continue;
      const p = readQueue[readHead++] as Patient;
      radBusy[r] = true;
      radBusyH += overlap(now, now + p.readH, W0, W1);
      q.push(now + p.readH, { k: 'read-end', r, p });
    }
    if (readHead > 4096 && readHead * 2 > readQueue.length) { readQueue.splice(0, readHead); readHead = 0; }
  };
  const goDown = (s: Scanner, now: number, repairH: number) => {
    s.down = true;
    q.push(now + repairH, { k: 'repair', s });
  };

  for (const [mi] of mods.entries()) {
    scheduleArrival(mi, 0);
    const start = (mods[mi] as ModalityModel).openHours.start;
    q.push(start, { k: 'open', mi });
  }
  q.push(model.reading.hours.start, { k: 'read-open' });
  for (const s of scanners) if (Number.isFinite(s.mtbf)) q.push(exponential(s.rand, s.mtbf), { k: 'fail', s });
  for (const o of opts.outages ?? []) {
    const s = scanners.find((x) => x.id === o.scannerId);
    if (!s) continue;
    q.push(o.start, { k: 'outage', s, delta: 1 });
    q.push(o.end, { k: 'outage', s, delta: -1 });
  }

  for (let e = q.pop(); e; e = q.pop()) {
    const now = e.t;
    // A saturated system never empties: give up on the last patients a while after arrivals stop.
    if ((now >= W1 && outstanding === 0) || now > stopArrivals + 30 * 24) break;
    const ev = e.event;
    switch (ev.k) {
      case 'arrival': {
        const m = mods[ev.mi] as ModalityModel;
        const rand = arrivalRand[ev.mi] as Rand;
        // Durations are drawn for every candidate, accepted or not, so streams stay aligned across scenarios.
        const examH = sampleHours(rand, m.exam);
        const readH = sampleHours(rand, m.read);
        const rate = m.arrivalsPerHour[Math.floor(((now % 24) + 24) % 24)] ?? 0;
        if (rand() * (opts.arrivalCap[m.modality] ?? 0) < rate) {
          const measured = now >= W0 && now < W1;
          if (measured) outstanding++;
          (queues[ev.mi] as Patient[]).push({ mi: ev.mi, arrival: now, examH, readH, measured, examEnd: NaN });
          startExams(ev.mi, now);
        }
        if (now < stopArrivals) scheduleArrival(ev.mi, now);
        break;
      }
      case 'exam-end': {
        const { s, p } = ev;
        s.busy = false;
        if (now >= W0 && now < W1) examsDone[s.mi] = (examsDone[s.mi] as number) + 1;
        p.examEnd = now;
        readQueue.push(p);
        startReads(now);
        if (s.failPending > 0) { goDown(s, now, s.failPending); s.failPending = 0; }
        startExams(s.mi, now);
        break;
      }
      case 'fail': {
        const repairH = exponential(ev.s.rand, ev.s.mttr);
        if (ev.s.busy) ev.s.failPending = repairH; else goDown(ev.s, now, repairH);
        break;
      }
      case 'repair':
        ev.s.down = false;
        q.push(now + exponential(ev.s.rand, ev.s.mtbf), { k: 'fail', s: ev.s });
        startExams(ev.s.mi, now);
        break;
      case 'outage':
        ev.s.outage += ev.delta;
        startExams(ev.s.mi, now);
        break;
      case 'open':
        startExams(ev.mi, now);
        if (now < stopArrivals + 60 * 24) q.push(now + 24, { k: 'open', mi: ev.mi });
        break;
      case 'read-end':
        radBusy[ev.r] = false;
        if (ev.p.measured) { tats.push(now - ev.p.examEnd); outstanding--; }
        startReads(now);
        break;
      case 'read-open':
        startReads(now);
        if (now < stopArrivals + 60 * 24) q.push(now + 24, { k: 'read-open' });
        break;
    }
  }

  const modalities: Record<string, ModalityStats> = {};
  for (const [mi, m] of mods.entries()) {
    const w = waits[mi] as number[];
    const openPerDay = Math.min(24, ((m.openHours.end - m.openHours.start) + 24) % 24 || 24);
    const scheduled = m.scanners.length * openPerDay * opts.days;
    modalities[m.modality] = {
      waitMeanMin: mean(w) * 60,
      waitP90Min: quantile(w, 0.9) * 60,
      utilizationPct: scheduled > 0 ? (100 * (busyH[mi] as number)) / scheduled : NaN,
      examsPerDay: (examsDone[mi] as number) / opts.days,
    };
  }
  const readOpen = Math.min(24, ((model.reading.hours.end - model.reading.hours.start) + 24) % 24 || 24);
  return {
    modalities,
    reading: {
      turnaroundMeanH: mean(tats),
      turnaroundP90H: quantile(tats, 0.9),
      utilizationPct: (100 * radBusyH) / (model.reading.radiologists * readOpen * opts.days),
    },
    site: { waitMeanMin: mean(waits.flat()) * 60, turnaroundMeanH: mean(tats), unfinished: outstanding },
  };
}
