// Tier 1: third-party plugins, configured from Gantry's config only. Order matters: security headers and
// rate limiting see every request first; swagger must be registered before the routes it documents.
import type { FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Config } from '../config/schema.js';
import { markPublic, SESSION_COOKIE } from '../auth/guard.js';

export async function registerSecurityPlugins(app: FastifyInstance, config: Readonly<Config>): Promise<void> {
  await app.register(fastifyHelmet, {
    // The dashboard is a same-origin SPA; Socket.IO upgrades to a same-origin websocket.
    contentSecurityPolicy: { directives: { 'connect-src': ["'self'", 'ws:', 'wss:'], 'img-src': ["'self'", 'data:'] } },
    hsts: config.http.secureCookies,
  });
  const origins = config.http.corsOrigins.split(',').map((o) => o.trim()).filter(Boolean);
  await app.register(fastifyCors, { origin: origins.length > 0 ? origins : false, credentials: true });
  await app.register(fastifyRateLimit, { global: true, max: config.http.rateLimitPerMinute, timeWindow: 60_000 });
  await app.register(fastifyCompress, { global: true, threshold: 1024 });
  await app.register(fastifyCookie);
}

/** OpenAPI from the routes' TypeBox schemas, with the UI at /docs. Registered after the guard so the
 *  UI's own routes pass through it (as public). */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Gantry API', version: '1', description: 'Fleet, telemetry series, alerts, users and tokens. See docs/api.md.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'set by POST /api/auth/login' },
          token: { type: 'http', scheme: 'bearer', description: 'API token (gnt_...) created by an admin' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(async (docs) => {
    markPublic(docs);
    await docs.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  });
}
