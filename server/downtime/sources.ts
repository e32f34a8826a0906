// The narrow inputs downtime analytics reads, so it works with whatever stores status, alerts and
// maintenance windows: status history (InfluxDB, influx-status-source.ts), and no-data intervals and
// planned maintenance windows expanded for a range (alert-windows.ts, from the alert engine).
import type { Modality } from '../../contracts/common.js';
import type { StatusRecord, Window } from './timeline.js';

export interface Scope {
  from: number;
  to: number;
  site?: string;
  modality?: Modality;
  scannerId?: string;
}

export interface ScannerStatusHistory {
  scannerId: string;
  site: string;
  modality: Modality;
  vendor?: string;
  /** Records in [from, to) plus the last one before `from`, in any order. */
  records: StatusRecord[];
}

export interface StatusHistorySource {
  statusHistory(scope: Scope): Promise<ScannerStatusHistory[]>;
}

/**
 * Windows per scanner id overlapping [from, to); a scanner absent from the map has none. A window still open
 * (a no-data alert still firing) ends at `to`; recurring maintenance (RRULE / cron) arrives expanded.
 */
export type WindowSource = (scope: Scope, scanners: readonly WindowTarget[]) => Promise<Map<string, Window[]>>;

/** A scanner in scope: windows may be defined per scanner or for its whole site. */
export interface WindowTarget { scannerId: string; site: string }

export const noWindows: WindowSource = async () => new Map();
