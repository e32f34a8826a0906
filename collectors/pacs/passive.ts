// Passive PACS sources: Orthanc's REST /statistics, a Prometheus text endpoint, and storage-tier usage from
// statfs (a mounted tier) or the size of a folder. Only counters and sizes are read; nothing here can see
// a patient attribute.
import { lstat, readdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';

export interface HttpSource { url: string; username?: string | undefined; password?: string | undefined }

export function authHeaders(src: HttpSource): Record<string, string> {
  return src.username ? { authorization: `Basic ${Buffer.from(`${src.username}:${src.password ?? ''}`).toString('base64')}` } : {};
}

async function getText(url: string, src: HttpSource, timeoutMs: number, accept = '*/*'): Promise<string> {
  const res = await fetch(url, { headers: { accept, ...authHeaders(src) }, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`GET ${url} answered HTTP ${res.status}`);
  return await res.text();
}

const STAT_FIELDS: Record<string, string> = {
  CountPatients: 'count_patients', CountStudies: 'count_studies', CountSeries: 'count_series', CountInstances: 'count_instances',
  TotalDiskSize: 'disk_size_bytes', TotalUncompressedSize: 'uncompressed_size_bytes',
};

/** Orthanc GET /statistics → numeric fields (sizes come as strings of bytes). */
export async function orthancStatistics(rest: HttpSource, timeoutMs = 10000): Promise<Record<string, number>> {
  const body = JSON.parse(await getText(`${rest.url.replace(/\/$/, '')}/statistics`, rest, timeoutMs, 'application/json')) as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const [key, field] of Object.entries(STAT_FIELDS)) {
    const v = Number(body[key]);
    if (body[key] !== undefined && Number.isFinite(v)) out[field] = v;
  }
  return out;
}

const PROM_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/;

/**
 * Prometheus text → fields. Unlabelled samples keep their name; labelled ones are summed per name (so the
 * field set stays bounded whatever labels an exporter uses). At most `maxFields` names.
 */
export function parsePrometheus(text: string, maxFields = 200): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = PROM_LINE.exec(line.trim());
    if (!m) continue;
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    const name = (m[1] as string).toLowerCase().replace(/:/g, '_').slice(0, 64);
    if (!(name in out) && Object.keys(out).length >= maxFields) continue;
    out[name] = m[2] ? (out[name] ?? 0) + value : value;
  }
  return out;
}

export async function scrapePrometheus(src: HttpSource, timeoutMs = 10000): Promise<Record<string, number>> {
  return parsePrometheus(await getText(src.url, src, timeoutMs, 'text/plain'));
}

/** Used and total bytes of the file system holding `path`. */
export async function statfsUsage(path: string): Promise<{ usedBytes: number; capacityBytes: number }> {
  const s = await statfs(path);
  return { usedBytes: (s.blocks - s.bfree) * s.bsize, capacityBytes: s.blocks * s.bsize };
}

/** Total size of the regular files under `dir` (symbolic links are not followed). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) total += (await lstat(p)).size;
    }
  }
  return total;
}
