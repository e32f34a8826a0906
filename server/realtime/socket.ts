// Socket.IO: pushes live telemetry and alert changes. A client gets a snapshot on connect, then deltas.
import { Server } from 'socket.io';
import type { Server as HttpServer } from 'node:http';
import type { Alert, ClientToServerEvents, ServerToClientEvents, TelemetryReading } from '../../contracts/index.js';
import type { EventBus } from '../lib/event-bus.js';
import type { Logger } from '../lib/logger.js';

export interface RealtimeDeps {
  bus: EventBus;
  log: Logger;
  telemetrySnapshot: () => TelemetryReading[];
  alertsSnapshot: () => Alert[];
}

export type GantryIo = Server<ClientToServerEvents, ServerToClientEvents>;

export function attachRealtime(server: HttpServer, deps: RealtimeDeps): GantryIo {
  const io: GantryIo = new Server(server, { serveClient: false, cors: { origin: false } });
  io.on('connection', (socket) => {
    deps.log.debug({ id: socket.id }, 'socket connected');
    socket.emit('telemetry:snapshot', deps.telemetrySnapshot());
    socket.emit('alerts:snapshot', deps.alertsSnapshot());
  });
  const offTelemetry = deps.bus.on('telemetry', (r) => io.volatile.emit('telemetry', r));
  const offAlert = deps.bus.on('alert', (a) => io.emit('alert', a));
  const offPacs = [
    deps.bus.on('pacs:probe', (r) => io.emit('pacs:probe', r)),
    deps.bus.on('pacs:storage', (s) => io.volatile.emit('pacs:storage', s)),
    deps.bus.on('pacs:derived', (d) => io.emit('pacs:derived', d)),
  ];
  const offAll = () => { offTelemetry(); offAlert(); for (const off of offPacs) off(); };
  io.engine.on('close', offAll);
  const close = io.close.bind(io);
  io.close = (fn) => { offAll(); return close(fn); };
  return io;
}
