// The embedded MQTT broker (aedes) used when no external broker is configured, so a fresh install has a
// broker that scanners and gateways can connect to on the configured port. Clients must log in (device or
// gateway credentials, or Gantry's internal one) and may only use the topics their ACL lists.
import { Aedes, type AedesOptions, type AuthenticateError, type Client } from 'aedes';
import { createServer, type Server } from 'node:net';
import type { Logger } from '../../lib/logger.js';
import { MqttDevices, type MqttIdentity } from '../auth/mqtt-devices.js';

export interface EmbeddedBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface BrokerAuth { devices: MqttDevices; allowAnonymous: boolean }

function authOptions(auth: BrokerAuth, log: Logger): Partial<AedesOptions> {
  const ids = new WeakMap<Client, MqttIdentity>();
  const refused = (): AuthenticateError => Object.assign(new Error('bad username or password'), { returnCode: 4 as const });
  return {
    authenticate: (client, username, password, done) => {
      auth.devices.authenticate(username, password, auth.allowAnonymous).then((id) => {
        if (!id) {
          log.warn({ clientId: client.id, username: username ?? '(none)' }, 'MQTT login refused');
          done(refused(), false);
          return;
        }
        ids.set(client, id);
        done(null, true);
      }, (err: unknown) => { log.error({ err }, 'MQTT authentication failed'); done(refused(), false); });
    },
    authorizePublish: (client, packet, cb) => {
      if (!client) { cb(null); return; } // the broker's own $SYS messages
      const id = ids.get(client);
      if (id && MqttDevices.mayPublish(id, packet.topic)) { cb(null); return; }
      log.warn({ clientId: client.id, topic: packet.topic }, 'MQTT publish outside the client ACL refused');
      cb(new Error('not authorized'));
    },
    authorizeSubscribe: (client, sub, cb) => {
      const id = ids.get(client);
      // null (not an error) refuses just this filter (SUBACK 0x80) and keeps the connection.
      cb(null, id && MqttDevices.maySubscribe(id, sub.topic) ? sub : null);
    },
  };
}

export async function startEmbeddedBroker(opts: { host: string; port: number; log: Logger; auth?: BrokerAuth }): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker({ id: 'gantry-embedded', ...(opts.auth ? authOptions(opts.auth, opts.log) : {}) });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE'
        ? new Error(`MQTT port ${opts.host}:${opts.port} is in use: set GANTRY_MQTT_EMBEDDED_PORT to a free port, or GANTRY_MQTT_URL to use the broker already running there`)
        : err);
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  opts.log.info({ host: opts.host, port }, 'embedded MQTT broker listening');
  return {
    url: `mqtt://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}`,
    port,
    stop: async () => {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
