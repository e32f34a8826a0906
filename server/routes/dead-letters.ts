import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DeadLetter, ErrorBody } from '../../contracts/index.js';
import type { DeadLetterReader } from '../telemetry/dead-letters.js';
import { AUDIENCE } from '../../contracts/auth.js';

export interface DeadLetterRouteDeps { store: DeadLetterReader }

/** GET /api/dead-letters: rejected scanner messages, newest first, so none vanishes unexplained. */
export const deadLetterRoutes: FastifyPluginAsyncTypebox<DeadLetterRouteDeps> = async (app, deps) => {
  app.get('/api/dead-letters', {
    // Operators who investigate missing data: admins, IT and biomedical engineers.
    config: { roles: AUDIENCE.responders },
    schema: {
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
      response: { 200: Type.Object({ entries: Type.Array(DeadLetter) }), '4xx': ErrorBody },
    },
  }, async (req) => ({ entries: deps.store.list(req.query.limit) }));
};
