// Ad-hoc silences (matchers with an expiry) and recurring maintenance windows (iCal RRULE, cron, or one-off)
// per scanner or site. Both hold notifications; an alert inside a maintenance window counts as planned.
import { randomUUID } from 'node:crypto';
import rrulePkg from 'rrule';
import { CronExpressionParser } from 'cron-parser';
import type { Alert } from '../../contracts/alerts.js';
import type { MaintenanceInput, MaintenanceWindow, Matcher, Silence, SilenceInput } from '../../contracts/alert-silences.js';

const { rrulestr } = rrulePkg;
type Occurrence = (now: number) => number | undefined;

function matches(m: Matcher, a: Alert): boolean {
  const v = String(a[m.name as keyof Alert] ?? '');
  if (!m.regex) return v === m.value;
  try { return new RegExp(`^(?:${m.value})$`).test(v); } catch { return false; }
}

/**
 * The start of the latest occurrence at or before now, for a window definition; throws on a bad rule.
 * Recurrence sets are evaluated once per occurrence (the answer holds until the next start), because
 * RRULE iteration walks from DTSTART and the engine asks on every tick.
 */
export function occurrenceFn(w: MaintenanceInput): Occurrence {
  let around: (now: number) => { start: number | undefined; next: number };
  if (w.rrule) {
    const rule = rrulestr(w.rrule.replace(/\\n/g, '\n'));
    around = (now) => ({ start: rule.before(new Date(now), true)?.getTime(), next: rule.after(new Date(now), false)?.getTime() ?? Infinity });
  } else if (w.cron) {
    const expr = w.cron;
    CronExpressionParser.parse(expr, { tz: 'UTC' });
    around = (now) => {
      // prev() is strictly before currentDate; a start exactly now counts as begun.
      const prev = CronExpressionParser.parse(expr, { currentDate: new Date(now + 1), tz: 'UTC' }).prev().getTime();
      const next = CronExpressionParser.parse(expr, { currentDate: new Date(now), tz: 'UTC' }).next().getTime();
      return { start: prev, next };
    };
  } else if (w.startsAt !== undefined) {
    const start = w.startsAt;
    around = (now) => (start <= now ? { start, next: Infinity } : { start: undefined, next: start });
  } else throw new Error('a maintenance window needs rrule, cron or startsAt');
  let cached: { start: number | undefined; next: number; at: number } | undefined;
  return (now) => {
    if (!cached || now < cached.at || now >= cached.next) cached = { ...around(now), at: now };
    return cached.start;
  };
}

/** Planned windows [start, end) of a definition that overlap [from, to), oldest first, at most `max`. */
export function occurrencesBetween(w: MaintenanceInput, from: number, to: number, max = 5000): { start: number; end: number }[] {
  const since = from - w.durationMs;
  let starts: number[];
  if (w.rrule) {
    starts = rrulestr(w.rrule.replace(/\\n/g, '\n')).between(new Date(since), new Date(to), true).map((d) => d.getTime());
  } else if (w.cron) {
    // endDate makes the iterator stop at `to`; take() stops early at that bound.
    starts = CronExpressionParser.parse(w.cron, { currentDate: new Date(since), endDate: new Date(to), tz: 'UTC' })
      .take(max).map((d) => d.getTime());
  } else starts = w.startsAt !== undefined ? [w.startsAt] : [];
  return starts.map((start) => ({ start, end: start + w.durationMs }))
    .filter((o) => o.end > from && o.start < to).slice(0, max);
}

export class Suppressions {
  readonly silences = new Map<string, Silence>();
  readonly windows = new Map<string, MaintenanceWindow>();
  private readonly occurrences = new Map<string, Occurrence>();

  addSilence(input: SilenceInput, now: number, id: string = randomUUID()): Silence {
    const s: Silence = { ...input, id, startsAt: input.startsAt ?? now };
    this.silences.set(id, s);
    return s;
  }

  /** Adds or replaces a window; throws with the parser's message when its rule is invalid. */
  addWindow(input: MaintenanceInput, id: string = randomUUID()): MaintenanceWindow {
    if (!input.scannerId && !input.site) throw new Error('a maintenance window needs scannerId or site');
    const occ = occurrenceFn(input);
    const w: MaintenanceWindow = { ...input, id };
    this.windows.set(id, w);
    this.occurrences.set(id, occ);
    return w;
  }

  removeWindow(id: string): boolean {
    this.occurrences.delete(id);
    return this.windows.delete(id);
  }

  /** Drops silences that have expired; returns their ids. */
  expire(now: number): string[] {
    const gone: string[] = [];
    for (const [id, s] of this.silences) if (s.endsAt <= now) { this.silences.delete(id); gone.push(id); }
    return gone;
  }

  silencesFor(a: Alert, now: number): string[] {
    const ids: string[] = [];
    for (const s of this.silences.values()) {
      // `sites` is the creator's site scope (a site-scoped user's silence never reaches other sites).
      if (s.sites && !s.sites.includes(a.site)) continue;
      if (s.startsAt <= now && now < s.endsAt && s.matchers.every((m) => matches(m, a))) ids.push(s.id);
    }
    return ids;
  }

  windowsFor(a: Pick<Alert, 'scannerId' | 'site'>, now: number): string[] {
    const ids: string[] = [];
    for (const w of this.windows.values()) {
      if (w.scannerId && w.scannerId !== a.scannerId) continue;
      if (w.site && w.site !== a.site) continue;
      if (this.inWindow(w, now)) ids.push(w.id);
    }
    return ids;
  }

  inWindow(w: MaintenanceWindow, now: number): boolean {
    const start = this.occurrences.get(w.id)?.(now);
    return start !== undefined && now - start < w.durationMs;
  }
}
