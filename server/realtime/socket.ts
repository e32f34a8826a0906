// Socket.IO: live telemetry and alert changes behind an authenticated handshake. Clients join rooms for what
// they view ('fleet', 'site:<id>', 'scanner:<id>'); telemetry goes through a per-client coalescer, alerts
// are sent as they happen. A client gets a snapshot of its rooms on connect and after each subscribe.
import { Server, type Socket } from 'socket.io';
import type { Server as HttpServer } from 'node:http';
import { fastifyCookie } from '@fastify/cookie';
import { Gauge, Counter, type Registry } from 'prom-client';
import {
  ROOM_PATTERN, SOCKET_EVENT_ROLES, type Alert, type ClientToServerEvents, type Room, type ServerToClientEvents,
  type SocketAuth, type SubscribeAck, type TelemetryReading,
} from '../../contracts/index.js';
import type { AnomalyScore, Prediction } from '../../contracts/alert-signals.js';
import type { AuthStore } from '../auth/auth-store.js';
import { authenticate } from '../auth/guard.js';
import { canSeeSite, type Principal } from '../auth/principal.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { Logger } from '../../lib/logger.js';
import { TelemetryCoalescer, type CoalescerTarget } from './coalescer.js';
import { followRevocations } from './revocation.js';

/** How often sockets are re-checked for credentials that expired without an event (a revocation is immediate). */
const REVALIDATE_MS = 30_000;

export interface RealtimeDeps {
  bus: EventBus;
  log: Logger;
  auth: AuthStore;
  registry: Registry;
  corsOrigins: string[];
  maxUpdatesPerSecond: number;
  telemetrySnapshot: () => TelemetryReading[];
  alertsSnapshot: () => Alert[];
  /** Site of a scanner (registry or last reading), for site-scoped users' subscriptions. */
  siteOf: (scannerId: string) => string | undefined;
}

interface SocketData { principal: Principal }
export type GantryIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type GantrySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const roomsOf = (r: { site: string; scannerId: string }): Room[] => ['fleet', `site:${r.site}`, `scanner:${r.scannerId}`];

function allowedRoom(p: Principal, room: Room, siteOf: (id: string) => string | undefined): boolean {
  if (!p.sites) return true;
  if (room === 'fleet') return false;
  if (room.startsWith('site:')) return canSeeSite(p, room.slice(5));
  const site = siteOf(room.slice(8));
  return site !== undefined && canSeeSite(p, site);
}

/** Internal room of batch-mode sockets (not a Room: clients cannot join or leave it). */
const BATCH_ROOM = 'batch-mode';

function inRooms(rooms: ReadonlySet<string>, r: { site: string; scannerId: string }): boolean {
  return roomsOf(r).some((x) => rooms.has(x));
}

export function attachRealtime(server: HttpServer, deps: RealtimeDeps): GantryIo {
  const io: GantryIo = new Server(server, { serveClient: false, cors: { origin: deps.corsOrigins.length > 0 ? deps.corsOrigins : false, credentials: true } });
  const coalescer = new TelemetryCoalescer(Math.max(10, Math.round(1000 / deps.maxUpdatesPerSecond)));
  coalescer.start();
  const clients = new Gauge({ name: 'gantry_socket_clients', help: 'Connected Socket.IO clients', registers: [deps.registry], collect() { this.set(io.engine.clientsCount); } });
  const coalesced = new Counter({ name: 'gantry_socket_telemetry_coalesced_total', help: 'Telemetry updates merged into a newer one for a client (rate limit or slow client)', registers: [deps.registry], collect() { this.reset(); this.inc(coalescer.merged); } });
  const deferred = new Counter({ name: 'gantry_socket_telemetry_deferred_total', help: 'Flush ticks a client was skipped because its previous write had not drained (slow client)', registers: [deps.registry], collect() { this.reset(); this.inc(coalescer.deferred); } });
  void clients; void coalesced; void deferred;
  const stopRevocations = followRevocations(io, deps.auth, REVALIDATE_MS);

  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as SocketAuth;
    const cookies = fastifyCookie.parse(socket.request.headers.cookie ?? '');
    const principal = authenticate(deps.auth, typeof auth.token === 'string' ? `Bearer ${auth.token}` : undefined, cookies);
    if (!principal) { next(new Error('unauthorized')); return; }
    const roles: readonly string[] = SOCKET_EVENT_ROLES.telemetry;
    if (!roles.includes(principal.role) || (principal.via === 'token' && !principal.scopes?.includes('read'))) {
      next(new Error('forbidden'));
      return;
    }
    if (principal.mustChangePassword) { next(new Error('password change required')); return; }
    socket.data.principal = principal;
    next();
  });

  const snapshotFor = (socket: GantrySocket, rooms: ReadonlySet<string>) => {
    const p = socket.data.principal;
    return {
      telemetry: deps.telemetrySnapshot().filter((r) => canSeeSite(p, r.site) && inRooms(rooms, r)),
      alerts: deps.alertsSnapshot().filter((a) => canSeeSite(p, a.site) && inRooms(rooms, a)),
    };
  };

  // Batch-mode sockets: a persistent coalescer target each, the newest anomaly score per scanner and the
  // newest forecast per scanner and metric until the next tick (a value superseded before it was sent is not
  // worth sending; a withdrawn forecast is the newest one, so withdrawals are never lost).
  interface Batcher { target: CoalescerTarget; scores: Map<string, AnomalyScore>; predictions: Map<string, Prediction> }
  const batchers = new Map<string, Batcher>();
  /** The coalescer target of each per-event socket, made once at connection (not per reading). */
  const targets = new Map<string, CoalescerTarget>();
  const startBatching = (socket: GantrySocket) => {
    const scores = new Map<string, AnomalyScore>();
    const predictions = new Map<string, Prediction>();
    const target: CoalescerTarget = {
      id: socket.id,
      writable: () => socket.conn.transport.writable,
      send: (r) => { socket.emit('telemetry:batch', [r]); },
      sendMany: (rs) => { socket.emit('telemetry:batch', rs); },
      tick: () => {
        if (scores.size > 0) { socket.emit('anomaly:batch', [...scores.values()]); scores.clear(); }
        if (predictions.size > 0) { socket.emit('prediction:batch', [...predictions.values()]); predictions.clear(); }
      },
    };
    batchers.set(socket.id, { target, scores, predictions });
    coalescer.onTick(target);
    void socket.join(BATCH_ROOM);
  };

  const changeRooms = async (socket: GantrySocket, rooms: unknown, join: boolean, ack: unknown) => {
    const reply = (res: SubscribeAck) => { if (typeof ack === 'function') (ack as (r: SubscribeAck) => void)(res); };
    if (!Array.isArray(rooms) || rooms.length > 1000 || !rooms.every((r): r is Room => typeof r === 'string' && ROOM_PATTERN.test(r))) {
      reply({ ok: false, error: "rooms must be an array of 'fleet', 'site:<id>' or 'scanner:<id>'" });
      return;
    }
    const denied = rooms.filter((r) => !allowedRoom(socket.data.principal, r, deps.siteOf));
    if (join && denied.length > 0) { reply({ ok: false, error: `not allowed: ${denied.join(', ')}` }); return; }
    if (join) {
      await socket.join(rooms);
      const snap = snapshotFor(socket, new Set(rooms));
      if (batchers.has(socket.id)) socket.emit('telemetry:batch', snap.telemetry);
      else for (const r of snap.telemetry) socket.emit('telemetry', r);
    } else {
      for (const r of rooms) await socket.leave(r);
    }
    reply({ ok: true, rooms: [...socket.rooms].filter((r): r is Room => ROOM_PATTERN.test(r)) });
  };

  io.on('connection', (socket) => {
    const p = socket.data.principal;
    const asked = (socket.handshake.auth as SocketAuth | undefined)?.rooms;
    const wanted: Room[] = Array.isArray(asked) && asked.every((r) => typeof r === 'string' && ROOM_PATTERN.test(r))
      ? asked : p.sites ? p.sites.map((s): Room => `site:${s}`) : ['fleet'];
    const initial = wanted.filter((r) => allowedRoom(p, r, deps.siteOf));
    if ((socket.handshake.auth as SocketAuth | undefined)?.batch === true) startBatching(socket);
    else {
      targets.set(socket.id, {
        id: socket.id,
        writable: () => socket.conn.transport.writable,
        send: (r: TelemetryReading) => { socket.emit('telemetry', r); },
      });
    }
    void socket.join(initial);
    const snap = snapshotFor(socket, new Set(initial));
    socket.emit('telemetry:snapshot', snap.telemetry);
    socket.emit('alerts:snapshot', snap.alerts);
    socket.on('subscribe', (rooms, ack) => { void changeRooms(socket, rooms, true, ack); });
    socket.on('unsubscribe', (rooms, ack) => { void changeRooms(socket, rooms, false, ack); });
    socket.on('disconnect', () => { coalescer.forget(socket.id); batchers.delete(socket.id); targets.delete(socket.id); });
    deps.log.debug({ id: socket.id, actor: p.actor, rooms: initial }, 'socket connected');
  });

  /** Each socket in any room of the scanner, once. */
  const eachSocketOf = (r: { site: string; scannerId: string }, fn: (id: string) => void) => {
    const seen = new Set<string>();
    for (const room of roomsOf(r)) {
      for (const id of io.sockets.adapter.rooms.get(room) ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        fn(id);
      }
    }
  };
  const offTelemetry = deps.bus.on('telemetry', (r) => {
    eachSocketOf(r, (id) => {
      const t = batchers.get(id)?.target ?? targets.get(id);
      if (t) coalescer.push(t, r);
    });
  }, 'sockets');
  const offAlert = deps.bus.on('alert', (a) => io.to(roomsOf(a)).emit('alert', a));
  // Model output follows the scanner's rooms; volatile, like telemetry: a late score is worth less than none.
  // Local: in a cluster every instance gets it on its own bus (server/cluster/model-relay.ts), so the Redis
  // adapter must not carry it to the other instances' sockets a second time.
  const offAnomaly = deps.bus.on('anomaly', (x) => {
    io.local.to(roomsOf(x)).except(BATCH_ROOM).volatile.emit('anomaly', x);
    if (batchers.size > 0) eachSocketOf(x, (id) => batchers.get(id)?.scores.set(x.scannerId, x));
  });
  const offPrediction = deps.bus.on('prediction', (x) => {
    io.local.to(roomsOf(x)).except(BATCH_ROOM).emit('prediction', x);
    if (batchers.size > 0) eachSocketOf(x, (id) => batchers.get(id)?.predictions.set(`${x.scannerId}\u0000${x.metric}`, x));
  });
  // PACS health goes to the roles allowed to see it (SOCKET_EVENT_ROLES) and only for sites they may see.
  // It is low-rate (one derived update per PACS per interval), so walking the sockets is cheap.
  const toPacsViewers = <E extends 'pacs:probe' | 'pacs:storage' | 'pacs:derived'>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]) => {
    const roles: readonly string[] = SOCKET_EVENT_ROLES[event];
    for (const socket of io.sockets.sockets.values()) {
      const principal = socket.data.principal;
      if (roles.includes(principal.role) && canSeeSite(principal, payload.site)) (socket.emit as (e: E, x: typeof payload) => void)(event, payload);
    }
  };
  const offPacs = [
    deps.bus.on('pacs:probe', (r) => toPacsViewers('pacs:probe', r)),
    deps.bus.on('pacs:storage', (x) => toPacsViewers('pacs:storage', x)),
    deps.bus.on('pacs:derived', (d) => toPacsViewers('pacs:derived', d)),
  ];
  const close = io.close.bind(io);
  io.close = (fn) => {
    stopRevocations(); offTelemetry(); offAlert(); offAnomaly(); offPrediction(); for (const off of offPacs) off(); coalescer.stop();
    for (const m of ['gantry_socket_clients', 'gantry_socket_telemetry_coalesced_total', 'gantry_socket_telemetry_deferred_total']) deps.registry.removeSingleMetric(m);
    return close(fn);
  };
  return io;
}
