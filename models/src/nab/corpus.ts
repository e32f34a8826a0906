import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface NabSeries {
  /** `<group>/<file>.csv`, the key used by NAB's label files. */
  key: string;
  group: string;
  file: string;
  timestamps: number[];
  /** The timestamp text as written in the file, echoed back in results CSVs. */
  rawTimestamps: string[];
  values: number[];
  windows: Array<[number, number]>;
}

/** NAB writes naive timestamps ("2014-10-30 15:30:00.000000"); reading them as UTC keeps them comparable. */
export function parseNabTime(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(text.trim());
  if (!m) throw new Error(`unparseable timestamp: ${text}`);
  const frac = m[3] ? Math.round(Number(`0${m[3]}`) * 1000) : 0;
  return Date.parse(`${m[1]}T${m[2]}Z`) + frac;
}

export function readNabCsv(path: string): { rawTimestamps: string[]; timestamps: number[]; values: number[] } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const rawTimestamps: string[] = [];
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const [ts, value] = line.split(',');
    if (ts === undefined || value === undefined) continue;
    rawTimestamps.push(ts);
    timestamps.push(parseNabTime(ts));
    values.push(Number(value));
  }
  return { rawTimestamps, timestamps, values };
}

export function loadNabCorpus(dataDir: string, labelsFile: string): NabSeries[] {
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as Record<string, Array<[string, string]>>;
  const out: NabSeries[] = [];
  for (const group of readdirSync(dataDir).sort()) {
    const groupDir = join(dataDir, group);
    if (!statSync(groupDir).isDirectory()) continue;
    for (const file of readdirSync(groupDir).sort()) {
      if (!file.endsWith('.csv')) continue;
      const key = `${group}/${file}`;
      const parsed = readNabCsv(join(groupDir, file));
      const windows = (labels[key] ?? []).map(([a, b]) => [parseNabTime(a), parseNabTime(b)] as [number, number]);
      out.push({ key, group, file, ...parsed, windows });
    }
  }
  return out;
}
