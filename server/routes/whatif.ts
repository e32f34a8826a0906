// What-if API: run a scenario against a site's simulated imaging workflow, and show the baseline model the
// simulation would use (for the managers' page form). Every route declares its roles.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, Slug } from '../../contracts/common.js';
import { SiteModel, WhatIfRequest, WhatIfResult } from '../../contracts/whatif.js';
import type { WhatIfService } from '../whatif/service.js';
import { AUDIENCE } from '../../contracts/auth.js';
import { HttpError } from '../lib/http-error.js';
import { canSeeSite, type Principal } from '../auth/principal.js';

export interface WhatIfRouteDeps { whatif: WhatIfService }

const roles = AUDIENCE.managers;
const tags = ['what-if'];
const errors = { 400: ErrorBody, 404: ErrorBody };

/** A site the caller may not see answers like one without data: 404. */
function checkSite(p: Principal | undefined, site: string): void {
  if (!p || !canSeeSite(p, site)) throw new HttpError(404, `site ${site} has no scanners in status history or exam events`, 'site_not_found');
}

export const whatIfRoutes: FastifyPluginAsyncTypebox<WhatIfRouteDeps> = async (app, deps) => {
  app.post('/api/whatif', {
    config: { roles },
    schema: { tags, summary: 'Simulate a site with one change and report the difference with 95 % confidence intervals', body: WhatIfRequest, response: { 200: WhatIfResult, ...errors } },
  }, async (req) => { checkSite(req.principal, req.body.site); return deps.whatif.run(req.body); });

  app.get('/api/whatif/model', {
    config: { roles },
    schema: { tags, summary: 'The baseline model of a site, built from its status history and exam events', querystring: Type.Object({ site: Slug }, { additionalProperties: false }), response: { 200: SiteModel, ...errors } },
  }, async (req) => { checkSite(req.principal, req.query.site); return deps.whatif.model(req.query.site); });
};
