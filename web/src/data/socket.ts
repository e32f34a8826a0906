// The one Socket.IO connection of the page. Only the data layer imports this; components use
// subscribeX functions, so the transport can change without touching the UI.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../contracts/socket-events.js';
import { api, ApiError } from './http.js';

export type GantrySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: GantrySocket | undefined;

/**
 * Reconnects once the session is known to be good. A 401 means the session was revoked: `api` then sends the
 * page to login, and there is nothing to rejoin. Any other failure (the server restarting) is retried.
 */
function rejoin(s: GantrySocket): void {
  api('/api/me').then(() => { s.connect(); }, (err: unknown) => {
    if (!(err instanceof ApiError && err.status === 401)) setTimeout(() => rejoin(s), 5000);
  });
}

export function getSocket(): GantrySocket {
  if (socket) return socket;
  // Batch mode: each server tick arrives as one message rather than one per scanner (see socket-events.ts).
  const s: GantrySocket = io({ transports: ['websocket', 'polling'], auth: { batch: true } });
  // The server drops a socket whose credential was revoked or whose user's sites changed (docs/api.md,
  // "Revocation"), and Socket.IO does not reconnect after that by itself: a still-valid session rejoins
  // with its new scope.
  s.on('disconnect', (reason) => { if (reason === 'io server disconnect') setTimeout(() => rejoin(s), 1000); });
  socket = s;
  return s;
}

export function subscribeConnection(cb: (connected: boolean) => void): () => void {
  const s = getSocket();
  const on = () => cb(true);
  const off = () => cb(false);
  s.on('connect', on);
  s.on('disconnect', off);
  cb(s.connected);
  return () => { s.off('connect', on); s.off('disconnect', off); };
}
