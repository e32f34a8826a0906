// Builds the Fastify app (without listening), so tests build the real app and inject() requests.
// Tiers: external plugins (security headers, CORS, rate limit, compression, cookies), app plugins (error
// body, fail-closed route guard, audit), API docs, then one route module per domain, then Socket.IO.
import type { RollupSettings } from './telemetry/rollups.js';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Registry } from 'prom-client';
import type { Alert, Health, TelemetryReading } from '../contracts/index.js';
import type { ErrorBody } from '../contracts/index.js';
import type { Config } from './config/schema.js';
import type { EventBus } from '../lib/event-bus.js';
import type { Logger } from '../lib/logger.js';
import type { AuditLog } from './audit/audit-log.js';
import type { AuthStore } from './auth/auth-store.js';
import { markPublic, type RouteEntry } from './auth/guard.js';
import type { MqttDevices } from './auth/mqtt-devices.js';
import type { FleetRegistry } from './fleet/registry.js';
import type { InfluxStore } from './storage/influx.js';
import { registerDocs, registerSecurityPlugins } from './plugins/external.js';
import { registerAppPlugins } from './plugins/app.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { authRoutes } from './routes/auth.js';
import { oidcRoutes } from './routes/oidc.js';
import { OidcLogin } from './auth/oidc.js';
import { userRoutes } from './routes/users.js';
import { fleetRoutes } from './routes/fleet.js';
import { telemetryRoutes } from './routes/telemetry.js';
import { modelRoutes } from './routes/models.js';
import { auditRoutes } from './routes/audit.js';
import { downtimeRoutes } from './routes/downtime.js';
import { whatIfRoutes } from './routes/whatif.js';
import type { Analytics } from './downtime/analytics.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import type { DeadLetterReader } from './telemetry/dead-letters.js';
import { alertRoutes, type AlertingApi } from './routes/alerts.js';
import { pacsRoutes, type PacsRouteDeps } from './routes/pacs.js';
import { attachRealtime, type GantryIo } from './realtime/socket.js';
import { WEB_ROUTES } from '../contracts/web-routes.js';

export interface AppDeps {
  config: Readonly<Config>;
  log: Logger;
  bus: EventBus;
  registry: Registry;
  health: () => Promise<Health>;
  deadLetters?: DeadLetterReader;
  telemetrySnapshot: () => TelemetryReading[];
  alertsSnapshot: () => Alert[];
  auth: AuthStore;
  audit: AuditLog;
  fleet: FleetRegistry;
  influx: InfluxStore;
  /** True when hourly rollups are maintained and long-range series may read them (default false). */
  /** The rollups series queries may read; absent when they are off or unavailable. */
  seriesRollup?: RollupSettings | undefined;
  /** Embedded broker credentials; undefined when an external broker is used. */
  mqttDevices: MqttDevices | undefined;
  analytics?: Analytics;
  alerting?: AlertingApi;
  /** PACS reads (latest derived signals, and the site of each known PACS for history scoping). */
  pacs?: Pick<PacsRouteDeps, 'latest' | 'siteOf'>;
}

function createFastify(config: Readonly<Config>, log: Logger) {
  return Fastify({
    loggerInstance: log.child({ module: 'http' }) as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.http.bodyLimitBytes, trustProxy: config.http.trustProxy,
    // Unknown query keys are errors (additionalProperties: false), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

/** Client-side routes of web/src/app.tsx. */
const SPA_PATHS = Object.values(WEB_ROUTES).filter((p) => p !== WEB_ROUTES.fleet);

export type GantryFastify = ReturnType<typeof createFastify>;
export interface GantryApp { app: GantryFastify; io: GantryIo; routes: RouteEntry[] }

export async function buildApp(deps: AppDeps): Promise<GantryApp> {
  const { config } = deps;
  const app = createFastify(config, deps.log);
  const siteOf = (id: string) => deps.fleet.scanner(id)?.site ?? deps.telemetrySnapshot().find((r) => r.scannerId === id)?.site;
  await registerSecurityPlugins(app, config);
  const routes = registerAppPlugins(app, { auth: deps.auth, audit: deps.audit, registry: deps.registry });
  await registerDocs(app);

  await app.register(healthRoutes, { health: deps.health });
  await app.register(metricsRoutes, { registry: deps.registry, publicMetrics: config.http.publicMetrics });
  await app.register(authRoutes, {
    auth: deps.auth, sessionTtlMs: config.auth.sessionTtlHours * 3_600_000, secureCookies: config.http.secureCookies,
    loginRatePerMinute: config.auth.loginRatePerMinute,
  });
  await app.register(oidcRoutes, {
    oidc: config.auth.oidc.issuer ? new OidcLogin(config.auth.oidc, deps.log.child({ module: 'oidc' })) : undefined,
    auth: deps.auth, audit: deps.audit, sessionTtlMs: config.auth.sessionTtlHours * 3_600_000, secureCookies: config.http.secureCookies,
    loginRatePerMinute: config.auth.loginRatePerMinute,
  });
  await app.register(userRoutes, { auth: deps.auth, devices: deps.mqttDevices });
  await app.register(fleetRoutes, { fleet: deps.fleet });
  await app.register(telemetryRoutes, { influx: deps.influx, fleet: deps.fleet, latest: deps.telemetrySnapshot, seriesMaxPoints: config.api.seriesMaxPoints, rollup: deps.seriesRollup });
  await app.register(modelRoutes, { influx: deps.influx, fleet: deps.fleet, latest: deps.telemetrySnapshot, seriesMaxPoints: config.api.seriesMaxPoints, rollup: deps.seriesRollup });
  await app.register(auditRoutes, { audit: deps.audit });
  if (deps.analytics) {
    await app.register(downtimeRoutes, { downtime: deps.analytics.downtime });
    await app.register(whatIfRoutes, { whatif: deps.analytics.whatif });
  }
  if (deps.deadLetters) await app.register(deadLetterRoutes, { store: deps.deadLetters });
  if (deps.alerting) await app.register(alertRoutes, { alerting: deps.alerting, siteOf });
  if (deps.pacs) await app.register(pacsRoutes, { ...deps.pacs, influx: deps.influx, seriesMaxPoints: config.api.seriesMaxPoints });

  // The dashboard's files are public (the login page must load); its data is not.
  await app.register(async (web) => {
    markPublic(web);
    const webDist = resolve(config.http.webDist);
    if (existsSync(resolve(webDist, 'index.html'))) {
      await web.register(fastifyStatic, { root: webDist, prefix: '/', index: ['index.html'] });
      // Deep links of the single-page app (a reload or a shared URL) get index.html; the router takes it
      // from there. Listed explicitly so unknown /api paths still answer the JSON 404.
      for (const path of SPA_PATHS) {
        web.get(path, { schema: { hide: true } }, async (_req, reply) => reply.type('text/html').sendFile('index.html'));
      }
    } else {
      web.get('/', { schema: { hide: true } }, async (_req, reply) => reply.code(503).send({
        statusCode: 503, error: 'Service Unavailable', message: `dashboard not built (${webDist}): run npm run build`,
      } satisfies ErrorBody));
    }
  });

  const corsOrigins = config.http.corsOrigins.split(',').map((o) => o.trim()).filter(Boolean);
  const io = attachRealtime(app.server, {
    bus: deps.bus, log: deps.log.child({ module: 'realtime' }), auth: deps.auth, registry: deps.registry, corsOrigins,
    maxUpdatesPerSecond: config.realtime.maxUpdatesPerSecond,
    telemetrySnapshot: deps.telemetrySnapshot, alertsSnapshot: deps.alertsSnapshot,
    siteOf,
  });
  // Graceful shutdown: Socket.IO clients are told to go before the HTTP server waits for open connections.
  app.addHook('preClose', async () => { io.disconnectSockets(true); });
  app.addHook('onClose', async () => { await io.close(); });
  return { app, io, routes };
}
