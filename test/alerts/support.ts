// Helpers for the alert tests: a rules folder written from YAML text, a platform started on it with fast
// timings, an MQTT publisher, a recorder of bus alerts and a real HTTP receiver for webhooks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { Alert } from '../../contracts/index.js';
import type { EventBus } from '../../lib/event-bus.js';
import { startTestPlatform, tempDir, type TestPlatform } from '../support/platform.js';

export function rulesDir(files: Record<string, string>): string {
  const dir = join(tempDir('rules'), 'rules');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function startAlertPlatform(dir: string, overrides: Record<string, unknown> = {}): Promise<TestPlatform> {
  return startTestPlatform({
    'alerts.rulesDir': dir, 'alerts.catalogDefaults': false, 'alerts.tickMs': 25, 'alerts.notifyRetryBaseMs': 50,
    'alerts.dashboardUrl': 'http://gantry.test', ...overrides,
  });
}

// After the authentication branch lands, TestPlatform carries an admin session (`api`, `adminCookie`);
// these two helpers use it when present, so the alert tests run unchanged on either side of that merge.
type MaybeAuthed = TestPlatform & { api?: (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>; adminCookie?: string };

/** A request to the platform's API as an admin. */
export function apiCall(p: TestPlatform, path: string, method = 'GET', body?: unknown): Promise<Response> {
  const authed = p as MaybeAuthed;
  if (authed.api) return authed.api(path, { method, ...(body !== undefined ? { json: body } : {}) });
  return fetch(`${p.url}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
}

/** A Socket.IO client of the platform, signed in as admin when authentication is on. */
export function socketOf(p: TestPlatform): Socket {
  const cookie = (p as MaybeAuthed).adminCookie;
  return ioClient(p.url, { transports: ['websocket'], ...(cookie ? { extraHeaders: { cookie } } : {}) });
}

export class Recorder {
  readonly alerts: Alert[] = [];
  private readonly off: () => void;
  constructor(bus: EventBus) { this.off = bus.on('alert', (a) => this.alerts.push(a)); }
  of(id: string): Alert[] { return this.alerts.filter((a) => a.id === id); }
  /** State transitions of one alert as seen on the bus, repeats collapsed. */
  transitions(id: string): string[] {
    const out: string[] = [];
    for (const a of this.of(id)) if (out[out.length - 1] !== a.state) out.push(a.state);
    return out;
  }
  stop(): void { this.off(); }
}

export class Publisher {
  private constructor(private readonly client: MqttClient) {}
  static async connect(url: string): Promise<Publisher> { return new Publisher(await mqtt.connectAsync(url)); }
  async send(path: string, metrics: Record<string, number>, ts = Date.now()): Promise<void> {
    await this.client.publishAsync(`gantry/v1/${path}/telemetry`, JSON.stringify({ ts, metrics }), { qos: 1 });
  }
  async close(): Promise<void> { await this.client.endAsync(); }
}

export interface Received { path: string; headers: IncomingMessage['headers']; body: string; json: unknown }

/** A real HTTP server that records every request; `status` decides the answer per request. */
export class Receiver {
  readonly requests: Received[] = [];
  status: (r: Received, nthOnPath: number) => number = () => 200;
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<Receiver> {
    const holder: { self?: Receiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(body); } catch { json = undefined; }
        const r: Received = { path: req.url ?? '/', headers: req.headers, body, json };
        const recv = holder.self as Receiver;
        recv.requests.push(r);
        res.statusCode = recv.status(r, recv.on(r.path).length);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    holder.self = new Receiver(server, `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
    return holder.self;
  }

  on(path: string): Received[] { return this.requests.filter((r) => r.path === path); }
  /** Webhook bodies on a path whose alerts include the given alert id. */
  about(path: string, alertId: string): { reason: string; alerts: Alert[] }[] {
    return this.on(path).map((r) => r.json as { reason: string; alerts: Alert[] }).filter((b) => b.alerts.some((a) => a.id === alertId));
  }
  close(): Promise<void> { return new Promise((r) => { this.server.closeAllConnections(); this.server.close(() => r()); }); }
}
