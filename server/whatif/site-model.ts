// Builds a site's what-if model: its scanners with their measured availability, exam arrivals by hour of
// day and exam durations fitted from the fleet's exam events when there are enough of them, otherwise the
// configured defaults below (docs/what-if.md lists them and their basis). Pure; site-inputs.ts reads storage.
import type { Modality } from '../../contracts/common.js';
import type { DurationModel, ModalityModel, SiteModel } from '../../contracts/whatif.js';
import { DAY } from '../../contracts/units.js';

export interface ExamEvent { ts: number; modality: Modality; scannerId: string; type: 'exam_start' | 'exam_end' }
export interface ScannerFacts { id: string; modality: Modality; availability?: number; mttrHours?: number }

export interface SiteInputs {
  site: string;
  scanners: readonly ScannerFacts[];
  examEvents: readonly ExamEvent[];
  /** Start of the period the exam events were read from; arrivals per hour are averaged over it. */
  fitFrom: number;
  fitTo: number;
  timezone: string;
  /** 0 = size the reading pool to about 75 % utilization of the expected reading work. */
  radiologists: number;
}

interface Defaults { perScannerPerDay: number; busyHours: [number, number]; offPeakShare: number; open: [number, number]; exam: DurationModel; read: DurationModel }

// Demand per scanner is set so a scanner runs at roughly 75-85 % in its busy hours, the range imaging
// departments plan for; durations are typical table times and reading times per study. Assumptions, to be
// replaced by fitted values as soon as exam events exist.
export const MODALITY_DEFAULTS: Record<Modality, Defaults> = {
  mri: { perScannerPerDay: 15, busyHours: [7, 19], offPeakShare: 0, open: [7, 21], exam: { meanMinutes: 40, cv: 0.35, distribution: 'lognormal' }, read: { meanMinutes: 20, cv: 0.5, distribution: 'lognormal' } },
  ct: { perScannerPerDay: 50, busyHours: [8, 20], offPeakShare: 0.25, open: [0, 24], exam: { meanMinutes: 15, cv: 0.5, distribution: 'lognormal' }, read: { meanMinutes: 12, cv: 0.5, distribution: 'lognormal' } },
  petct: { perScannerPerDay: 12, busyHours: [7, 15], offPeakShare: 0, open: [7, 17], exam: { meanMinutes: 30, cv: 0.2, distribution: 'lognormal' }, read: { meanMinutes: 25, cv: 0.4, distribution: 'lognormal' } },
  xray: { perScannerPerDay: 40, busyHours: [7, 19], offPeakShare: 0.1, open: [0, 24], exam: { meanMinutes: 10, cv: 0.5, distribution: 'lognormal' }, read: { meanMinutes: 3, cv: 0.5, distribution: 'lognormal' } },
  us: { perScannerPerDay: 16, busyHours: [8, 17], offPeakShare: 0, open: [8, 18], exam: { meanMinutes: 25, cv: 0.4, distribution: 'lognormal' }, read: { meanMinutes: 5, cv: 0.5, distribution: 'lognormal' } },
};
export const DEFAULT_AVAILABILITY = 0.98;
export const DEFAULT_MTTR_HOURS = 8;
export const READING_HOURS = { start: 8, end: 20 };
const MIN_EXAMS_TO_FIT = 50;
const MIN_PAIRS_TO_FIT = 20;
const MAX_EXAM_HOURS = 6;

export function defaultArrivals(modality: Modality, scanners: number): number[] {
  const d = MODALITY_DEFAULTS[modality];
  const [a, b] = d.busyHours;
  const busy = b - a;
  const total = d.perScannerPerDay * Math.max(1, scanners);
  return Array.from({ length: 24 }, (_, h) => (h >= a && h < b
    ? (total * (1 - d.offPeakShare)) / busy
    : (total * d.offPeakShare) / (24 - busy)));
}

function hourFormatter(timezone: string): (ts: number) => number {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: 'numeric', hourCycle: 'h23' });
  return (ts) => Number(f.format(ts)) % 24;
}

/** Mean exam requests per hour of day over the observed days, or undefined with too few exams. */
export function fitArrivals(starts: readonly number[], from: number, to: number, timezone: string): number[] | undefined {
  if (starts.length < MIN_EXAMS_TO_FIT) return undefined;
  // Average over the days that have data, so a fleet that started recently is not diluted by empty days.
  const first = Math.max(from, Math.min(...starts));
  const days = Math.max(1, Math.round((to - first) / DAY));
  const hourOf = hourFormatter(timezone);
  const counts = new Array<number>(24).fill(0);
  for (const ts of starts) { const h = hourOf(ts); counts[h] = (counts[h] ?? 0) + 1; }
  return counts.map((c) => c / days);
}

/** Lognormal by the mean and cv of exam durations, pairing each start with the next end on the same scanner. */
export function fitDuration(events: readonly ExamEvent[]): DurationModel | undefined {
  const byScanner = new Map<string, ExamEvent[]>();
  for (const e of events) byScanner.set(e.scannerId, [...(byScanner.get(e.scannerId) ?? []), e]);
  const hours: number[] = [];
  for (const list of byScanner.values()) {
    list.sort((a, b) => a.ts - b.ts || (a.type === 'exam_end' ? -1 : 1));
    let open: number | undefined;
    for (const e of list) {
      if (e.type === 'exam_start') open = e.ts;
      else if (open !== undefined) {
        const h = (e.ts - open) / 3_600_000;
        if (h > 0 && h <= MAX_EXAM_HOURS) hours.push(h);
        open = undefined;
      }
    }
  }
  if (hours.length < MIN_PAIRS_TO_FIT) return undefined;
  const m = hours.reduce((a, b) => a + b, 0) / hours.length;
  const sd = Math.sqrt(hours.reduce((a, h) => a + (h - m) ** 2, 0) / (hours.length - 1));
  return { meanMinutes: Math.round(m * 60 * 100) / 100, cv: Math.round((sd / m) * 1000) / 1000, distribution: 'lognormal' };
}

export function buildSiteModel(inputs: SiteInputs): SiteModel {
  const provenance: Record<string, string> = {};
  const modalities: ModalityModel[] = [];
  const present = [...new Set(inputs.scanners.map((s) => s.modality))].sort();
  for (const modality of present) {
    const d = MODALITY_DEFAULTS[modality];
    const scanners = inputs.scanners.filter((s) => s.modality === modality).sort((a, b) => a.id.localeCompare(b.id));
    const events = inputs.examEvents.filter((e) => e.modality === modality);
    const fitted = fitArrivals(events.filter((e) => e.type === 'exam_start').map((e) => e.ts), inputs.fitFrom, inputs.fitTo, inputs.timezone);
    const exam = fitDuration(events);
    provenance[`${modality}.arrivals`] = fitted ? `fitted from ${events.filter((e) => e.type === 'exam_start').length} exam starts` : 'configured default';
    provenance[`${modality}.examDuration`] = exam ? 'fitted from exam start/end pairs' : 'configured default';
    const measured = scanners.filter((s) => s.availability !== undefined).length;
    provenance[`${modality}.availability`] = `${measured} of ${scanners.length} scanners measured from status history, others default ${DEFAULT_AVAILABILITY}`;
    modalities.push({
      modality,
      arrivalsPerHour: fitted ?? defaultArrivals(modality, scanners.length),
      exam: exam ?? d.exam,
      read: d.read,
      openHours: { start: d.open[0], end: d.open[1] },
      scanners: scanners.map((s) => ({
        id: s.id,
        // A scanner that was never down measures 100 %; keep a sliver of failure risk in the model.
        availability: Math.min(0.999, Math.max(0.5, s.availability ?? DEFAULT_AVAILABILITY)),
        mttrHours: s.mttrHours ?? DEFAULT_MTTR_HOURS,
      })),
    });
  }
  let radiologists = inputs.radiologists;
  if (radiologists <= 0) {
    const readHoursPerDay = modalities.reduce((a, m) => a + (m.arrivalsPerHour.reduce((x, y) => x + y, 0) * m.read.meanMinutes) / 60, 0);
    radiologists = Math.max(1, Math.ceil(readHoursPerDay / ((READING_HOURS.end - READING_HOURS.start) * 0.75)));
    provenance.radiologists = `sized to about 75 % reading utilization (${readHoursPerDay.toFixed(1)} reading hours a day)`;
  } else {
    provenance.radiologists = 'configured';
  }
  return { site: inputs.site, modalities, reading: { radiologists, hours: { ...READING_HOURS } }, provenance };
}
