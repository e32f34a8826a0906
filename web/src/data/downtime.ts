import type { DowntimeGroupBy, DowntimeReport, ScannerTimeline } from '../../../contracts/downtime.js';
import type { Scenario, WhatIfResult } from '../../../contracts/whatif.js';
import { api } from './http.js';

export interface DowntimeFilter { from: number; to: number; groupBy: DowntimeGroupBy; site?: string; modality?: string }

const query = (f: DowntimeFilter) => ({ from: String(f.from), to: String(f.to), groupBy: f.groupBy, site: f.site, modality: f.modality, top: 10 });

export function fetchDowntime(f: DowntimeFilter): Promise<DowntimeReport> {
  return api<DowntimeReport>('/api/downtime', { query: query(f) });
}

/** Same-origin URL of the CSV export, for a plain download link (the session cookie authenticates it). */
export function downtimeCsvUrl(f: DowntimeFilter): string {
  const q = Object.entries(query(f)).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]);
  return `/api/downtime/csv?${new URLSearchParams(q).toString()}`;
}

export function runWhatIf(site: string, scenario: Scenario, replications = 20): Promise<WhatIfResult> {
  return api<WhatIfResult>('/api/whatif', { method: 'POST', body: { site, scenario, replications } });
}

/** One scanner's resolved state over a range (up, degraded, down, maintenance, unknown). */
export function fetchTimeline(scannerId: string, from: number, to: number): Promise<ScannerTimeline> {
  return api<ScannerTimeline>('/api/downtime/timeline', { query: { scannerId, from: String(Math.round(from)), to: String(Math.round(to)) } });
}
