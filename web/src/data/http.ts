// The one place the web talks HTTP: same-origin cookies, JSON, and the server's single error shape.
import type { ErrorBody } from '../../../contracts/common.js';

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ErrorBody | undefined) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

const unauthorizedListeners = new Set<() => void>();

/** Called when any request answers 401: the session expired or was revoked. */
export function onUnauthorized(cb: () => void): () => void {
  unauthorizedListeners.add(cb);
  return () => { unauthorizedListeners.delete(cb); };
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; query?: Record<string, string | number | undefined> } = {}): Promise<T> {
  const qs = init.query
    ? `?${new URLSearchParams(Object.entries(init.query).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]): [string, string] => [k, String(v)])).toString()}`
    : '';
  const res = await fetch(`${path}${qs}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : {},
    body: init.body !== undefined ? JSON.stringify(init.body) : null,
  });
  if (res.status === 401 && path !== '/api/auth/login') for (const l of unauthorizedListeners) l();
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, json as ErrorBody | undefined);
  return json as T;
}
