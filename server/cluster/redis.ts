// Redis connections of one Gantry instance in a cluster: one for commands, one for pub/sub subscriptions
// (a subscribed connection can run nothing else), one for blocking stream reads, all under one key prefix
// so several deployments can share a Redis.
import { createClient } from 'redis';
import type { Logger } from '../../lib/logger.js';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisConns {
  cmd: RedisClient;
  sub: RedisClient;
  /** Key of a name under the deployment's prefix. */
  key(name: string): string;
  /** A further connection (blocking reads must not stall the command connection); closed with close(). */
  extra(): Promise<RedisClient>;
  close(): Promise<void>;
}

export async function connectRedis(url: string, prefix: string, log: Logger): Promise<RedisConns> {
  const made: RedisClient[] = [];
  const make = async (): Promise<RedisClient> => {
    // Reconnects with back-off forever: Redis down means the cluster degrades, not that Gantry exits.
    const c = createClient({ url, socket: { reconnectStrategy: (n) => Math.min(50 * 2 ** n, 2000) } });
    let lastLogged = 0;
    c.on('error', (err: Error) => {
      if (Date.now() - lastLogged > 10_000) { lastLogged = Date.now(); log.error({ err: err.message }, 'Redis connection error'); }
    });
    made.push(c);
    await c.connect();
    return c;
  };
  const cmd = await make();
  const sub = await make();
  return {
    cmd, sub, key: (name) => `${prefix}:${name}`, extra: make,
    close: async () => {
      for (const c of made.reverse()) {
        try { c.destroy(); } catch { /* already closed */ }
      }
    },
  };
}
