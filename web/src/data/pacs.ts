// Live PACS health: the latest derived signals per PACS (latency percentiles by study age, failures by
// cause, tier fill and days-to-full) and a short history of failure counts for the "over time" chart.
import type { PacsDerived } from '../../../contracts/pacs.js';
import { api, ApiError } from './http.js';
import { getSocket } from './socket.js';

export interface PacsState {
  latest: ReadonlyMap<string, PacsDerived>;
  /** Per PACS, failures by cause at each derived update (oldest first, at most 240). */
  failureHistory: ReadonlyMap<string, readonly { ts: number; byCause: Record<string, number> }[]>;
}

export async function fetchPacs(): Promise<PacsDerived[]> {
  try {
    return await api<PacsDerived[]>('/api/pacs');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return [];
    throw err;
  }
}

export function subscribePacs(cb: (s: PacsState) => void): () => void {
  const latest = new Map<string, PacsDerived>();
  const history = new Map<string, { ts: number; byCause: Record<string, number> }[]>();
  const apply = (d: PacsDerived) => {
    latest.set(d.pacsId, d);
    const byCause: Record<string, number> = {};
    for (const f of d.failures) byCause[f.cause] = (byCause[f.cause] ?? 0) + f.count;
    const h = history.get(d.pacsId) ?? [];
    if ((h[h.length - 1]?.ts ?? 0) < d.ts) h.push({ ts: d.ts, byCause });
    if (h.length > 240) h.splice(0, h.length - 240);
    history.set(d.pacsId, h);
  };
  const emit = () => cb({ latest: new Map(latest), failureHistory: new Map(history) });
  const s = getSocket();
  const onDerived = (d: PacsDerived) => { apply(d); emit(); };
  s.on('pacs:derived', onDerived);
  fetchPacs().then((all) => { for (const d of all) apply(d); emit(); }, () => emit());
  return () => { s.off('pacs:derived', onDerived); };
}
