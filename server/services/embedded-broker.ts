// The embedded MQTT broker (aedes) used when no external broker is configured, so a fresh install has a
// broker that scanners and gateways can connect to on the configured port.
import { Aedes } from 'aedes';
import { createServer, type Server } from 'node:net';
import type { Logger } from '../lib/logger.js';

export interface EmbeddedBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedBroker(opts: { host: string; port: number; log: Logger }): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker({ id: 'gantry-embedded' });
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
