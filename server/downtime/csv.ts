// CSV export of a downtime report section (RFC 4180: comma separated, CRLF, quoted when needed), for
// spreadsheets. Cells that start with a formula character are prefixed so a spreadsheet shows them as text.
import type { DowntimeFigures, DowntimeReport } from '../../contracts/downtime.js';

export type CsvSection = 'groups' | 'weekly' | 'monthly' | 'top';

const FIGURE_COLUMNS: (keyof DowntimeFigures)[] = [
  'scanners', 'rangeHours', 'upHours', 'degradedHours', 'unplannedDowntimeHours', 'plannedDowntimeHours', 'unknownHours',
  'availabilityPct', 'dataCoveragePct', 'failures', 'mtbfHours', 'mttrHours', 'costUsd', 'plannedCostUsd',
];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function table(head: string[], rows: unknown[][]): string {
  return [head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export function reportCsv(report: DowntimeReport, section: CsvSection): string {
  if (section === 'weekly' || section === 'monthly') {
    const rows = report[section].map((p) => [p.period, new Date(p.start).toISOString(), new Date(p.end).toISOString(), ...FIGURE_COLUMNS.map((c) => p[c])]);
    return table(['period', 'start', 'end', ...FIGURE_COLUMNS], rows);
  }
  const list = section === 'top' ? report.topOffenders : report.groups;
  const rows = list.map((g) => [g.key, g.site, g.modality, g.vendor, ...FIGURE_COLUMNS.map((c) => g[c])]);
  return table([section === 'top' ? 'scanner' : report.groupBy, 'site', 'modality', 'vendor', ...FIGURE_COLUMNS], rows);
}
