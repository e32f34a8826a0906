import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, ErrorBody } from '../../contracts/index.js';

export interface HealthRouteDeps { health: () => Promise<Health> }

/** GET /health is open (load balancers, Docker HEALTHCHECK); it reveals reachability, nothing else. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRouteDeps> = async (app, deps) => {
  app.get('/health', { config: { public: true, rateLimit: false }, schema: { tags: ['ops'], response: { 200: Health, 503: Health, '4xx': ErrorBody } } }, async (_req, reply) => {
    const h = await deps.health();
    return reply.code(h.status === 'ok' ? 200 : 503).send(h);
  });
};
