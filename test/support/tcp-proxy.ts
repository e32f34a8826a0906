// A TCP proxy playing the load balancer in front of several Gantry instances: each new connection goes to the
// first backend that accepts it, in the given order. When that backend dies its connections are cut (as a
// real balancer's would be) and new connections go to the next live one. Connections are not retried
// mid-stream: only the connect is, so a browser sees exactly what it would see behind HAProxy in TCP mode.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Backend { host: string; port: number }

export interface TcpProxy {
  url: string;
  /** Open client connections per backend port (which instance the browser is talking to). */
  open(port: number): number;
  close(): Promise<void>;
}

function dial(backends: Backend[], i: number, done: (s: Socket | undefined, b: Backend | undefined) => void): void {
  const b = backends[i];
  if (!b) { done(undefined, undefined); return; }
  const s = connect(b.port, b.host);
  s.once('connect', () => { s.removeAllListeners('error'); done(s, b); });
  s.once('error', () => { s.destroy(); dial(backends, i + 1, done); });
}

export async function startTcpProxy(backends: Backend[]): Promise<TcpProxy> {
  const open = new Map<number, Set<Socket>>();
  const all = new Set<Socket>();
  const server: Server = createServer((client) => {
    all.add(client);
    client.pause();
    client.on('error', () => undefined);
    client.once('close', () => all.delete(client));
    dial(backends, 0, (up, b) => {
      if (!up || !b || client.destroyed) { client.destroy(); up?.destroy(); return; }
      const set = open.get(b.port) ?? new Set<Socket>();
      open.set(b.port, set);
      set.add(up);
      all.add(up);
      up.on('error', () => undefined);
      up.once('close', () => { set.delete(up); all.delete(up); client.destroy(); });
      client.once('close', () => up.destroy());
      client.pipe(up);
      up.pipe(client);
      client.resume();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    open: (port) => open.get(port)?.size ?? 0,
    close: async () => {
      for (const s of all) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
