// The dashboards of bench:sockets, in their own process like real browsers: N Socket.IO clients with the
// fleet view, each counting the telemetry it receives and its age on arrival (reading ts = publish time, same
// clock). In batch mode (argv[2] = 'batch', what the web dashboard asks for) a client gets one
// telemetry:batch message per server tick; otherwise one telemetry event per reading. Reads "hold url token N" lines on stdin (N = how many clients to hold; more connect, extra disconnect),
// "report" lines make it print one JSON line with the counts and latency percentiles since the last report.
import { createInterface } from 'node:readline';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { TelemetryReading } from '../../contracts/telemetry.js';

const batch = process.argv[2] === 'batch';
const clients: Socket[] = [];
let events = 0;
let ages: number[] = [];
const cpu0 = { v: process.cpuUsage(), t: performance.now() };
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

async function hold(url: string, token: string, n: number): Promise<void> {
  while (clients.length > n) clients.pop()?.close();
  const opening: Promise<void>[] = [];
  while (clients.length < n) {
    const s = ioClient(url, { transports: ['websocket'], forceNew: true, auth: { token, rooms: ['fleet'], batch } });
    const seen = (r: TelemetryReading) => {
      events += 1;
      // Every 10th sample is enough for the percentiles and keeps the client process light.
      if (events % 10 === 0) ages.push(Date.now() - r.ts);
    };
    if (batch) s.on('telemetry:batch', (rs: TelemetryReading[]) => { for (const r of rs) seen(r); });
    else s.on('telemetry', seen);
    clients.push(s);
    opening.push(new Promise((resolve, reject) => { s.once('connect', () => resolve()); s.once('connect_error', reject); }));
  }
  await Promise.all(opening);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, url, token, n] = line.split(' ');
  if (cmd === 'hold') {
    hold(url as string, token as string, Number(n)).then(
      () => process.stdout.write(`${JSON.stringify({ held: clients.length })}\n`),
      (err: unknown) => process.stdout.write(`${JSON.stringify({ error: String(err) })}\n`));
  } else if (cmd === 'report') {
    const cpu = process.cpuUsage(cpu0.v);
    const ms = performance.now() - cpu0.t;
    process.stdout.write(`${JSON.stringify({ events, p50: pct(ages, 50), p99: pct(ages, 99), max: ages.length ? Math.max(...ages) : null, clientCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / ms) * 100) })}\n`);
    events = 0;
    ages = [];
    cpu0.v = process.cpuUsage();
    cpu0.t = performance.now();
  } else if (cmd === 'exit') {
    for (const c of clients) c.close();
    process.exit(0);
  }
});
