// What the platform does before it touches anything (lock the data folder, check its ports) and how
// supervised services show up in /metrics and /health.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import { portIsFree } from '../../lib/net.js';
import { lockDir, type DirLock } from './dir-lock.js';
import type { Backoff, ServiceState } from './supervisor.js';

/**
 * Takes the data folder's lock and checks the listening ports, before any service is started or any
 * config file written: a start that would fail on a busy port, or a second Gantry on a folder in use,
 * must fail without having touched a live folder.
 */
export async function preflight(config: Readonly<Config>, dataDir: string): Promise<DirLock> {
  const lock = lockDir(dataDir, 'a Gantry server');
  try {
    const busy: string[] = [];
    if (!await portIsFree(config.http.host, config.http.port)) busy.push(`HTTP port ${config.http.host}:${config.http.port} is in use (set GANTRY_HTTP_PORT)`);
    if (!config.mqtt.url && !await portIsFree(config.mqtt.embeddedHost, config.mqtt.embeddedPort)) {
      busy.push(`MQTT port ${config.mqtt.embeddedHost}:${config.mqtt.embeddedPort} is in use (set GANTRY_MQTT_EMBEDDED_PORT to a free port, or GANTRY_MQTT_URL to use the broker already running there)`);
    }
    if (busy.length > 0) throw new Error(busy.join('; '));
    return lock;
  } catch (err) {
    lock.release();
    throw err;
  }
}

export function backoffOf(config: Readonly<Config>): Backoff {
  const s = config.services;
  return { minMs: s.restartMinDelayMs, maxMs: Math.max(s.restartMinDelayMs, s.restartMaxDelayMs), stableMs: s.restartStableMs };
}

/** gantry_service_up{service} (1/0, read at scrape) and gantry_service_restarts_total{service}. */
export function serviceMetrics(registry: Registry, services: () => ServiceState[]): { supervised(name: string): void; restarted(name: string): void } {
  const restarts = new Counter({ name: 'gantry_service_restarts_total', help: 'Restarts of a private service after it crashed', labelNames: ['service'], registers: [registry] });
  new Gauge({
    name: 'gantry_service_up', help: 'Private service process running (1) or down (0)', labelNames: ['service'], registers: [registry],
    collect() { for (const s of services()) this.set({ service: s.name }, s.up ? 1 : 0); },
  });
  return {
    /** Shows the counter at 0 from the start, so a rate() over it has a baseline. */
    supervised: (name) => restarts.inc({ service: name }, 0),
    restarted: (name) => restarts.inc({ service: name }),
  };
}

/** /health detail for a service that is down; undefined while it runs. */
export function downDetail(s: ServiceState): string | undefined {
  if (s.up) return undefined;
  const next = s.nextAttemptAt === undefined ? 'not restarting (stopped)' : `restart attempt in ${Math.max(0, Math.ceil((s.nextAttemptAt - Date.now()) / 1000))} s`;
  return `private ${s.name} down (${s.lastExit ?? 'not started'}); ${next}; ${s.restarts} restart(s) so far`;
}
