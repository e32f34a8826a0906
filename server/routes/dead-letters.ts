import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeadLetter, ErrorBody, Page, PageQuery, paginate } from '../../contracts/index.js';
import { TOPIC_ROOT } from '../../contracts/topics.js';
import { canSeeSite, type Principal } from '../auth/principal.js';
import type { DeadLetterReader } from '../telemetry/dead-letters.js';
import { AUDIENCE } from '../../contracts/auth.js';

export interface DeadLetterRouteDeps { store: DeadLetterReader }

/** Site of a scanner topic (gantry/v1/<site>/...), or undefined for a topic of no known shape. */
function topicSite(topic: string): string | undefined {
  const parts = topic.split('/');
  return `${parts[0]}/${parts[1]}` === TOPIC_ROOT ? parts[2] : undefined;
}

/** GET /api/dead-letters: rejected scanner messages, newest first, so none vanishes unexplained. Paged like
 *  every list; the store is bounded on disk (telemetry.deadLetterMaxBytes), so reading it whole is cheap. */
export const deadLetterRoutes: FastifyPluginAsyncTypebox<DeadLetterRouteDeps> = async (app, deps) => {
  app.get('/api/dead-letters', {
    // Operators who investigate missing data: admins, IT and biomedical engineers.
    config: { roles: AUDIENCE.responders },
    schema: {
      summary: 'Rejected MQTT messages, newest first (a site-scoped caller sees those on topics of their sites)',
      querystring: PageQuery,
      response: { 200: Page(DeadLetter), '4xx': ErrorBody },
    },
  }, async (req) => {
    const p = req.principal as Principal;
    const all = deps.store.list(Number.POSITIVE_INFINITY);
    const visible = p.sites ? all.filter((d) => { const site = topicSite(d.topic); return site !== undefined && canSeeSite(p, site); }) : all;
    return paginate(visible, req.query);
  });
};
