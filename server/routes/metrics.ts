import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { ErrorBody } from '../../contracts/index.js';
import { ANY_ROLE } from '../auth/guard.js';

export interface MetricsRouteDeps { registry: Registry; publicMetrics: boolean }

/** Prometheus exposition of the app's own registry. Needs an API token with the metrics scope (any role),
 *  unless http.publicMetrics opens it for a private scrape network. */
export const metricsRoutes: FastifyPluginAsync<MetricsRouteDeps> = async (app, deps) => {
  app.get('/metrics', {
    config: deps.publicMetrics ? { public: true, rateLimit: false } : { roles: ANY_ROLE, scope: 'metrics', rateLimit: false },
    schema: { tags: ['ops'], summary: 'Prometheus metrics', response: { '4xx': ErrorBody } },
  }, async (_req, reply) => {
    return reply.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
};
