// The one Socket.IO connection of the page. Only the data layer imports this; components use
// subscribeX functions, so the transport can change without touching the UI.
//
// Behind a load balancer with several Gantry instances (docs/deployment.md, "Scaling out") the instance a
// page is connected to may die. The page then reconnects on its own: Socket.IO retries with capped
// exponential back-off and jitter (so a thousand pages do not hit the survivor in the same instant), each
// attempt carries the session cookie and the rooms the page had, and the server answers every connection
// with a fresh snapshot of those rooms, so the stores are whole again without a reload.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Room, ServerToClientEvents, SocketAuth } from '../../../contracts/socket-events.js';
import { api, ApiError } from './http.js';

export type GantrySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the header shows: 'connecting' before the first connection, 'reconnecting' after losing one. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** Back-off of every retry: first after ~0.5 s, doubling up to 5 s, each ±50 % at random. */
export const RETRY = { firstMs: 500, maxMs: 5000, jitter: 0.5 } as const;

let socket: GantrySocket | undefined;
let state: ConnectionState = 'connecting';
const stateListeners = new Set<(s: ConnectionState) => void>();
const reconnectListeners = new Set<() => void>();
/** The rooms the page watches, named in every handshake, so a reconnection rejoins them. */
const ROOMS: Room[] = ['fleet'];
let everConnected = false;
let rejoining = false;
let rejoinAttempt = 0;

function setState(next: ConnectionState): void {
  if (next === state) return;
  state = next;
  for (const l of stateListeners) l(next);
}

/** Delay of retry number `attempt` (0-based), capped, with jitter. Exported for its unit test. */
export function retryDelay(attempt: number, random = Math.random): number {
  const base = Math.min(RETRY.maxMs, RETRY.firstMs * 2 ** attempt);
  return Math.round(base * (1 - RETRY.jitter + 2 * RETRY.jitter * random()));
}

/**
 * Reconnects after the server refused or dropped the socket, once the session is known to be good (Socket.IO
 * does not retry those by itself). A 401 means the session was revoked: `api` then sends the page to login,
 * and there is nothing to rejoin. Any other failure (no instance reachable yet) is retried with back-off.
 */
function rejoin(s: GantrySocket): void {
  if (rejoining) return;
  rejoining = true;
  // The count goes on across refusals (a refused handshake after a good /api/me comes back here) and
  // starts again at the next connection, so the delays keep growing while the server keeps refusing.
  setTimeout(() => {
    api('/api/me').then(() => { rejoining = false; if (!s.connected) s.connect(); }, (err: unknown) => {
      rejoining = false;
      if (!(err instanceof ApiError && err.status === 401)) rejoin(s);
    });
  }, retryDelay(rejoinAttempt++));
}

export function getSocket(): GantrySocket {
  if (socket) return socket;
  const s: GantrySocket = io({
    transports: ['websocket', 'polling'],
    // Sent with every (re)connection. Batch mode: each server tick arrives as one message rather than one
    // per scanner (see socket-events.ts). The event listeners stay on this Socket object across reconnections.
    auth: { batch: true, rooms: ROOMS } satisfies SocketAuth,
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: RETRY.firstMs,
    reconnectionDelayMax: RETRY.maxMs,
    randomizationFactor: RETRY.jitter,
  });
  s.on('connect', () => {
    rejoinAttempt = 0;
    setState('live');
    if (everConnected) for (const l of reconnectListeners) l();
    everConnected = true;
  });
  s.on('disconnect', (reason) => {
    setState('reconnecting');
    // The server drops a socket whose credential was revoked or whose user's sites changed (docs/api.md,
    // "Revocation"): a still-valid session rejoins with its new scope. A lost transport (the instance died)
    // is retried by Socket.IO itself.
    if (reason === 'io server disconnect') rejoin(s);
  });
  // Refused by the server's handshake check (s.active false): the session may have ended, or the instance
  // answering may not know it yet. A refused transport (s.active true) is Socket.IO's to retry.
  s.on('connect_error', () => { if (!s.active) rejoin(s); });
  socket = s;
  return s;
}

export function subscribeConnection(cb: (state: ConnectionState) => void): () => void {
  getSocket();
  stateListeners.add(cb);
  cb(state);
  return () => { stateListeners.delete(cb); };
}

/** Called after each reconnection (not the first connection): for stores fed by REST as well as events. */
export function onReconnect(cb: () => void): () => void {
  reconnectListeners.add(cb);
  return () => { reconnectListeners.delete(cb); };
}
