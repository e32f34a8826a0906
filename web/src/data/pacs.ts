// Live PACS health: the latest derived signals per PACS (latency percentiles by study age, failures by
// cause, tier fill and days-to-full), from GET /api/pacs and then pacs:derived events; history over any
// range comes from the history API.
import type { PacsDerived } from '../../../contracts/pacs.js';
import type { PacsHistory } from '../../../contracts/pacs-api.js';
import { api, ApiError } from './http.js';
import { getSocket, onReconnect } from './socket.js';

export interface PacsState {
  latest: ReadonlyMap<string, PacsDerived>;
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
  const apply = (d: PacsDerived) => {
    // A REST answer arriving after a newer live event must not roll the figures back.
    if ((latest.get(d.pacsId)?.ts ?? 0) <= d.ts) latest.set(d.pacsId, d);
  };
  const emit = () => cb({ latest: new Map(latest) });
  const s = getSocket();
  const onDerived = (d: PacsDerived) => { apply(d); emit(); };
  s.on('pacs:derived', onDerived);
  const load = () => { fetchPacs().then((all) => { for (const d of all) apply(d); emit(); }, () => emit()); };
  load();
  // Signals derived while the page was reconnecting came as events it missed.
  const offReconnect = onReconnect(load);
  return () => { s.off('pacs:derived', onDerived); offReconnect(); };
}

export type PacsHistorySection = 'latency' | 'failures' | 'storage' | 'association';

/** One PACS's history over [from, to), bucketed by the server (GET /api/pacs/{pacsId}/history). */
export function fetchPacsHistory(pacsId: string, from: number, to: number, include?: readonly PacsHistorySection[], maxPoints = 300): Promise<PacsHistory> {
  return api<PacsHistory>(`/api/pacs/${encodeURIComponent(pacsId)}/history`, { query: { from: Math.round(from), to: Math.round(to), maxPoints, ...(include ? { include: include.join(',') } : {}) } });
}
