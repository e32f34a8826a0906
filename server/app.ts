// Builds the Fastify app (without listening), so tests build the real app and inject() requests.
// Tiers: external plugins, then app plugins, then one route module per domain.
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Registry } from 'prom-client';
import type { Alert, Health, TelemetryReading } from '../contracts/index.js';
import type { ErrorBody } from '../contracts/index.js';
import type { Config } from './config/schema.js';
import type { EventBus } from './lib/event-bus.js';
import type { Logger } from './lib/logger.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { alertRoutes, type AlertingApi } from './routes/alerts.js';
import { attachRealtime, type GantryIo } from './realtime/socket.js';

export interface AppDeps {
  config: Readonly<Config>;
  log: Logger;
  bus: EventBus;
  registry: Registry;
  health: () => Promise<Health>;
  telemetrySnapshot: () => TelemetryReading[];
  alertsSnapshot: () => Alert[];
  alerting?: AlertingApi;
}

function createFastify(log: Logger) {
  return Fastify({ loggerInstance: log.child({ module: 'http' }), disableRequestLogging: true, bodyLimit: 1024 * 1024 })
    .withTypeProvider<TypeBoxTypeProvider>();
}

export type GantryFastify = ReturnType<typeof createFastify>;
export interface GantryApp { app: GantryFastify; io: GantryIo }

export async function buildApp(deps: AppDeps): Promise<GantryApp> {
  const app = createFastify(deps.log);

  // One error body everywhere; a 5xx never reveals internals to the caller (the log has them).
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const statusCode = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (statusCode >= 500) req.log.error({ err }, 'request failed');
    const body: ErrorBody = {
      statusCode,
      error: statusCode >= 500 ? 'Internal Server Error' : err.name === 'Error' ? 'Bad Request' : err.name,
      message: statusCode >= 500 ? 'Internal Server Error' : err.message,
      ...(err.code && statusCode < 500 ? { code: err.code } : {}),
    };
    return reply.code(statusCode).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const body: ErrorBody = { statusCode: 404, error: 'Not Found', message: `${req.method} ${req.url.split('?')[0]} does not exist` };
    return reply.code(404).send(body);
  });

  await app.register(healthRoutes, { health: deps.health });
  await app.register(metricsRoutes, { registry: deps.registry });
  if (deps.alerting) await app.register(alertRoutes, { alerting: deps.alerting });

  const webDist = resolve(deps.config.http.webDist);
  if (existsSync(resolve(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', index: ['index.html'] });
  } else {
    app.get('/', async (_req, reply) => reply.code(503).send({
      statusCode: 503, error: 'Service Unavailable', message: `dashboard not built (${webDist}): run npm run build`,
    } satisfies ErrorBody));
  }

  const io = attachRealtime(app.server, {
    bus: deps.bus, log: deps.log.child({ module: 'realtime' }),
    telemetrySnapshot: deps.telemetrySnapshot, alertsSnapshot: deps.alertsSnapshot,
  });
  app.addHook('onClose', async () => { await io.close(); });
  return { app, io };
}
