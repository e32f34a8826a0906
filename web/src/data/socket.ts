// The one Socket.IO connection of the page. Only the data layer imports this; components use
// subscribeX functions, so the transport can change without touching the UI.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../contracts/socket-events.js';

export type GantrySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: GantrySocket | undefined;

export function getSocket(): GantrySocket {
  // Batch mode: each server tick arrives as one message rather than one per scanner (see socket-events.ts).
  socket ??= io({ transports: ['websocket', 'polling'], auth: { batch: true } });
  return socket;
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
