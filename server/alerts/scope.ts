// Site scope of alerts, silences and maintenance windows for site-scoped callers (users or tokens with
// `sites`). Reads show only what belongs to the caller's sites; writes can only reach the caller's sites.
// A silence from a site-scoped caller is NARROWED, not refused: it is stored with `sites` = the caller's
// sites and then matches only alerts of those sites, whatever its matchers say (so `site =~ .*` from a
// north-only user silences north only). An exact `site` matcher naming a site outside theirs is refused,
// because it could never do what the caller asked.
import type { Alert } from '../../contracts/alerts.js';
import type { MaintenanceInput, MaintenanceWindow, Silence, SilenceInput, SilenceRequest } from '../../contracts/alert-silences.js';
import { HttpError } from '../lib/http-error.js';
import { canSeeSite, type Principal } from '../auth/principal.js';

export type SiteOf = (scannerId: string) => string | undefined;

export const canSeeAlert = (p: Principal, a: Pick<Alert, 'site'>): boolean => canSeeSite(p, a.site);

/** The sites a silence can match, or undefined when it can match every site. */
export function silenceSites(s: Pick<Silence, 'sites' | 'matchers'>): string[] | undefined {
  let sites = s.sites;
  for (const m of s.matchers) {
    if (m.name !== 'site' || m.regex) continue;
    sites = sites ? sites.filter((x) => x === m.value) : [m.value];
  }
  return sites;
}

/** A site-scoped caller sees a silence only when every site it can match is theirs. */
export function canSeeSilence(p: Principal, s: Silence): boolean {
  if (!p.sites) return true;
  const sites = silenceSites(s);
  return sites !== undefined && sites.every((x) => canSeeSite(p, x));
}

/** The silence to store for this caller's request: created by the caller, limited to the caller's sites. */
export function scopeSilence(p: Principal, req: SilenceRequest): SilenceInput {
  const { createdBy: _ignored, ...rest } = req;
  const input: SilenceInput = { ...rest, createdBy: p.actor };
  if (!p.sites) return input;
  const outside = req.matchers.find((m) => m.name === 'site' && !m.regex && !canSeeSite(p, m.value));
  if (outside) throw new HttpError(403, `site ${outside.value} is not one of your sites`, 'site_forbidden');
  return { ...input, sites: [...p.sites] };
}

/** The site a window applies to: its own, or its scanner's. */
const windowSite = (w: Pick<MaintenanceInput, 'site' | 'scannerId'>, siteOf: SiteOf): string | undefined =>
  w.site ?? (w.scannerId ? siteOf(w.scannerId) : undefined);

export function canSeeWindow(p: Principal, w: MaintenanceWindow, siteOf: SiteOf): boolean {
  if (!p.sites) return true;
  const site = windowSite(w, siteOf);
  return site !== undefined && canSeeSite(p, site);
}

/** The window to store: created by the caller; a site-scoped caller's window is pinned to a site of theirs. */
export function scopeWindow(p: Principal, req: Omit<MaintenanceInput, 'createdBy'> & { createdBy?: string }, siteOf: SiteOf): MaintenanceInput {
  const { createdBy: _ignored, ...rest } = req;
  const input: MaintenanceInput = { ...rest, createdBy: p.actor };
  if (!p.sites || (!req.site && !req.scannerId)) return input; // the latter is refused as invalid later
  const site = windowSite(req, siteOf);
  if (req.site && !canSeeSite(p, req.site)) throw new HttpError(403, `site ${req.site} is not one of your sites`, 'site_forbidden');
  // An unknown scanner and another site's scanner get the same answer, as on every other route.
  if (!site || !canSeeSite(p, site)) throw new HttpError(404, `scanner ${req.scannerId ?? ''} does not exist`);
  // Pinned to the site, so the window keeps to it even if the scanner id later turns up elsewhere.
  return { ...input, site };
}
