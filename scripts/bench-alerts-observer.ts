// The receiving side of bench:alerts, in its own process like a real dashboard and a real webhook receiver:
// a Socket.IO client and a node:http webhook server. Prints its webhook URL, then one JSON line per firing
// alert that arrives: {"via": "socket" | "webhook", "id": alert id, "at": epoch ms (sub-ms resolution)}.
// The platform URL comes on stdin once the platform runs (its rules need the webhook URL first).
import { createServer } from 'node:http';
import { io as ioClient } from 'socket.io-client';
import type { Alert } from '../contracts/index.js';

import { createInterface } from 'node:readline';

const now = () => performance.timeOrigin + performance.now();
const out = (via: string, id: string, at: number) => process.stdout.write(`${JSON.stringify({ via, id, at })}\n`);

const hook = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reason: string; alerts: Alert[] };
    if (body.reason === 'firing') for (const a of body.alerts) out('webhook', a.id, at);
    res.end();
  });
});
await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
const addr = hook.address();
process.stdout.write(`${JSON.stringify({ webhook: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook` })}\n`);
const [url, token] = (await new Promise<string>((r) => createInterface({ input: process.stdin }).once('line', r))).split(' ');
const sock = ioClient(url as string, { transports: ['websocket'], auth: { token } });
sock.on('alert', (a: Alert) => { if (a.state === 'firing') out('socket', a.id, now()); });
await new Promise<void>((r) => sock.on('connect', () => r()));
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.on('SIGTERM', () => { sock.close(); hook.close(); process.exit(0); });
