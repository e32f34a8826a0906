import { readFileSync } from 'node:fs';

/** A multivariate history: rows aligned with times, columns named. */
export interface Table {
  columns: string[];
  times: number[];
  rows: number[][];
  source: string;
}

function parseTime(text: string): number {
  const n = Number(text);
  if (Number.isFinite(n) && text.trim() !== '') return n;
  const iso = /^\d{4}-\d{2}-\d{2} \d/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new Error(`unparseable time: ${text}`);
  return t;
}

/** CSV with a header; the time column holds epoch ms or ISO text; other selected columns are numbers. */
export function readCsvTable(path: string, timeColumn = 'timestamp', columns?: string[]): Table {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const ti = header.indexOf(timeColumn);
  if (ti < 0) throw new Error(`${path}: no "${timeColumn}" column (have ${header.join(', ')})`);
  const picked = columns ?? header.filter((_, i) => i !== ti);
  const idx = picked.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`${path}: no "${c}" column`);
    return i;
  });
  const times: number[] = [];
  const rows: number[][] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    times.push(parseTime(cells[ti] ?? ''));
    rows.push(idx.map((i) => (cells[i] === undefined || cells[i] === '' ? Number.NaN : Number(cells[i]))));
  }
  return { columns: picked, times, rows, source: `csv:${path}` };
}

export interface InfluxQuery {
  url: string;
  db: string;
  measurement: string;
  scanner?: string;
  /** Tag holding the scanner id; docs/data-model.md names it `scanner`. */
  scannerTag?: string;
  fields?: string[];
  /** InfluxQL duration such as 30d. */
  since?: string;
  username?: string;
  password?: string;
}

const ident = (s: string): string => `"${s.replace(/"/g, '\\"')}"`;

export function buildInfluxQl(q: InfluxQuery): string {
  const fields = q.fields && q.fields.length > 0 ? q.fields.map(ident).join(', ') : '*';
  const where: string[] = [`time > now() - ${q.since ?? '30d'}`];
  if (q.scanner) where.push(`${ident(q.scannerTag ?? 'scanner')} = '${q.scanner.replace(/'/g, "\\'")}'`);
  return `SELECT ${fields} FROM ${ident(q.measurement)} WHERE ${where.join(' AND ')} ORDER BY time ASC`;
}

interface InfluxResponse {
  results?: Array<{ error?: string; series?: Array<{ columns: string[]; values: Array<Array<number | string | boolean | null>> }> }>;
  error?: string;
}

/** InfluxQL over the v1 HTTP API (served by 1.x, 2.x compat and 3.x), epoch=ms. */
export async function readInfluxTable(q: InfluxQuery): Promise<Table> {
  const params = new URLSearchParams({ db: q.db, q: buildInfluxQl(q), epoch: 'ms' });
  if (q.username) params.set('u', q.username);
  if (q.password) params.set('p', q.password);
  const res = await fetch(`${q.url.replace(/\/$/, '')}/query?${params.toString()}`);
  if (!res.ok) throw new Error(`InfluxDB answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as InfluxResponse;
  const result = body.results?.[0];
  if (body.error || result?.error) throw new Error(`InfluxDB: ${body.error ?? result?.error}`);
  const series = result?.series?.[0];
  if (!series) return { columns: q.fields ?? [], times: [], rows: [], source: `influx:${q.db}/${q.measurement}` };
  // Tags come back as string columns; only numeric fields are model inputs.
  const numeric = series.columns
    .map((name, i) => ({ name, i }))
    .filter(({ name, i }) => name !== 'time' && series.values.some((v) => typeof v[i] === 'number'));
  const times = series.values.map((v) => Number(v[0]));
  const rows = series.values.map((v) => numeric.map(({ i }) => (typeof v[i] === 'number' ? (v[i] as number) : Number.NaN)));
  return { columns: numeric.map((c) => c.name), times, rows, source: `influx:${q.db}/${q.measurement}${q.scanner ? `/${q.scanner}` : ''}` };
}
