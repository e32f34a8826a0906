// The embedded MQTT broker (aedes) used when no external broker is configured, so a fresh install has a
// broker that scanners and gateways can connect to on the configured port. Clients must log in (device or
// gateway credentials, or Gantry's internal one) and may only use the topics their ACL lists (broker-auth.ts).
// Before login, packet size and the number of connections are bounded and CONNECT must come quickly
// (broker-guard.ts), so nobody can make the process buffer without a credential.
import { Aedes } from 'aedes';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../lib/logger.js';
import { LogThrottle } from '../../lib/log-throttle.js';
import { BrokerAccess, type BrokerAuth, type LoginDelay } from './broker-auth.js';
import { ConnectionGate, guardPacketSize, type GateLimits } from './broker-guard.js';

export type { BrokerAuth } from './broker-auth.js';

export interface EmbeddedBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface BrokerLimits extends GateLimits {
  maxPacketBytes: number;
  connectTimeoutMs: number;
  loginDelay: LoginDelay;
}

export const DEFAULT_BROKER_LIMITS: BrokerLimits = {
  maxPacketBytes: 1_048_576, connectTimeoutMs: 5000, maxPending: 256, maxPendingPerAddress: 32, loginDelay: { baseMs: 250, maxMs: 8000 },
};

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE'
        ? new Error(`MQTT port ${host}:${port} is in use: set GANTRY_MQTT_EMBEDDED_PORT to a free port, or GANTRY_MQTT_URL to use the broker already running there`)
        : err);
    });
    server.listen(port, host, () => resolve());
  });
}

export async function startEmbeddedBroker(opts: { host: string; port: number; log: Logger; auth?: BrokerAuth; limits?: BrokerLimits }): Promise<EmbeddedBroker> {
  const limits = opts.limits ?? DEFAULT_BROKER_LIMITS;
  const gate = new ConnectionGate(limits);
  const access = opts.auth ? new BrokerAccess(opts.auth, gate, limits.loginDelay, opts.log) : undefined;
  const broker = await Aedes.createBroker({ id: 'gantry-embedded', connectTimeout: limits.connectTimeoutMs, ...(access?.options() ?? {}) });
  access?.attach(broker);
  const throttle = new LogThrottle(opts.log);
  const server: Server = createServer((socket: Socket) => {
    if (!gate.admit(socket)) {
      throttle.warn('gate', { address: socket.remoteAddress, pending: gate.pendingCount }, 'MQTT connection refused: too many connections not logged in yet');
      socket.destroy();
      return;
    }
    const client = broker.handle(socket);
    guardPacketSize(client, limits.maxPacketBytes, () => {
      throttle.warn('packet-size', { address: socket.remoteAddress, maxPacketBytes: limits.maxPacketBytes }, 'MQTT packet larger than the limit: connection closed');
      socket.destroy();
    });
    // Without credentials there is nothing to wait for: anonymous clients count until they disconnect.
    if (!access) gate.settle(socket);
  });
  await listen(server, opts.host, opts.port);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  opts.log.info({ host: opts.host, port, ...limits }, 'embedded MQTT broker listening');
  return {
    url: `mqtt://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}`,
    port,
    stop: async () => {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
