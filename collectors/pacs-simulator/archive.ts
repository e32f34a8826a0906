// The simulated PACS's archive: studies exist only as a function of (seed, study date, index), so the
// archive is years deep without storing anything. Nothing in it is about a person: UIDs are generated,
// the patient name and ID are fixed tokens, and the only attributes are dates, counts and sizes.
import { gaussian, seededRandom } from '../../lib/random.js';

const DAY_MS = 86_400_000;

/** What the simulated PACS puts in the patient module: fixed tokens that identify nobody. They travel on the
 *  wire like a real patient name would, so a scan of what Gantry stored can prove they were not kept. */
export const SIM_PATIENT_NAME = 'SIMULATED^NOBODY';
export const SIM_PATIENT_ID = 'GANTRYSIM-NOPATIENT';

export interface TierSpec {
  name: string;
  /** Studies younger than this many days live on the tier; null = everything older (the last tier). */
  maxAgeDays: number | null;
  /** Median time to the first instance of a study on the tier, seconds. */
  firstInstanceS: number;
  capacityBytes: number;
  /** Fill now and its daily growth, so one tier heads for 85 % and one is past it. */
  fillPctNow: number;
  growthPctPerDay: number;
}

/** hot ~0.3 s, warm ~1.2 s, archive ~3 s (a tape / cold-object recall). */
export const TIERS: readonly TierSpec[] = [
  { name: 'hot', maxAgeDays: 30, firstInstanceS: 0.3, capacityBytes: 20e12, fillPctNow: 74, growthPctPerDay: 0.5 },
  { name: 'warm', maxAgeDays: 365, firstInstanceS: 1.2, capacityBytes: 200e12, fillPctNow: 61, growthPctPerDay: 0.08 },
  { name: 'archive', maxAgeDays: null, firstInstanceS: 3.0, capacityBytes: 500e12, fillPctNow: 88, growthPctPerDay: 0.45 },
];

export function tierOfAge(ageDays: number): TierSpec {
  return TIERS.find((t) => t.maxAgeDays === null || ageDays < t.maxAgeDays) ?? (TIERS[TIERS.length - 1] as TierSpec);
}

export interface Study { uid: string; studyDate: string; ageDays: number; instances: number; tier: TierSpec }

const dicomDate = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
const dateMs = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));

export class SyntheticArchive {
  constructor(private readonly seed: number) {}

  /** 2.25.<seed><yyyymmdd><index>: a valid UID, decodable back to its day, identifying nobody. */
  uid(studyDate: string, index: number): string {
    return `2.25.${this.seed}${studyDate}${String(index).padStart(4, '0')}`;
  }

  studiesOn(studyDate: string): number {
    const rand = seededRandom(this.seed * 7919 + Number(studyDate));
    const weekday = new Date(dateMs(studyDate)).getUTCDay();
    return Math.max(1, Math.round((weekday === 0 || weekday === 6 ? 12 : 45) + 6 * gaussian(rand)));
  }

  study(uid: string, now: number): Study | undefined {
    const m = new RegExp(`^2\\.25\\.${this.seed}(\\d{8})(\\d{4})$`).exec(uid);
    if (!m) return undefined;
    const studyDate = m[1] as string;
    const index = Number(m[2]);
    if (index >= this.studiesOn(studyDate)) return undefined;
    const ageDays = Math.max(0, (now - dateMs(studyDate)) / DAY_MS);
    const rand = seededRandom(this.seed * 31 + Number(studyDate) * 10_000 + index);
    return { uid, studyDate, ageDays, instances: 2 + Math.floor(rand() * 3), tier: tierOfAge(ageDays) };
  }

  /** Study UIDs of one day (a study-level C-FIND on StudyDate). */
  find(studyDate: string): string[] {
    if (!/^\d{8}$/.test(studyDate)) return [];
    return Array.from({ length: this.studiesOn(studyDate) }, (_, i) => this.uid(studyDate, i));
  }

  /** The first study of the day `ageDays` ago: what the pre-configured canaries point at. */
  canary(ageDays: number, now: number): { uid: string; studyDate: string } {
    const studyDate = dicomDate(now - ageDays * DAY_MS);
    return { uid: this.uid(studyDate, 0), studyDate };
  }
}

/** Seconds to the first instance: grows with the tier and, inside a tier, with age; lognormal spread. */
export function retrievalDelayS(study: Study, rand: () => number): number {
  const ageFactor = 1 + 0.15 * Math.log10(1 + study.ageDays / 30);
  const spread = Math.exp(0.2 * gaussian(rand));
  // Clamped, so a normal archive recall (< 4.5 s) never looks like an injected slow recall (>= 6.5 s).
  return Math.min(study.tier.firstInstanceS * 1.5, study.tier.firstInstanceS * ageFactor * spread);
}
