// Fleet registry: everyone reads (within their sites), admins edit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody, FleetQuery, IdParams, Ok, Page, PageQuery, Scanner, ScannerUpdate, Site, UnregisteredScanner, paginate } from '../../contracts/index.js';
import { ANY_ROLE, HttpError } from '../auth/guard.js';
import { canSeeSite, type Principal } from '../auth/principal.js';
import type { FleetRegistry } from '../fleet/registry.js';
import { AUDIENCE } from '../../contracts/auth.js';

export interface FleetRouteDeps { fleet: FleetRegistry }

const ADMIN = AUDIENCE.admins;
const errors = { '4xx': ErrorBody };
const tags = ['fleet'];

export const fleetRoutes: FastifyPluginAsyncTypebox<FleetRouteDeps> = async (app, { fleet }) => {
  const who = (req: { principal: Principal | undefined }) => req.principal as Principal;

  app.get('/api/fleet/sites', { config: { roles: ANY_ROLE }, schema: { tags, querystring: PageQuery, response: { 200: Page(Site), ...errors } } },
    async (req) => paginate(fleet.sites().filter((s) => canSeeSite(who(req), s.id)), req.query));

  app.put('/api/fleet/sites/:id', { config: { roles: ADMIN }, schema: { tags, summary: 'Create or replace a site', params: IdParams, body: Type.Omit(Site, ['id']), response: { 200: Site, 201: Site, ...errors } } },
    async (req, reply) => {
      const { site, created } = await fleet.putSite({ ...req.body, id: req.params.id });
      return reply.code(created ? 201 : 200).send(site);
    });

  app.delete('/api/fleet/sites/:id', { config: { roles: ADMIN }, schema: { tags, params: IdParams, response: { 200: Ok, ...errors } } },
    async (req) => { await fleet.deleteSite(req.params.id); return { ok: true as const }; });

  app.get('/api/fleet/scanners', { config: { roles: ANY_ROLE }, schema: { tags, querystring: Type.Composite([FleetQuery, PageQuery], { additionalProperties: false }), response: { 200: Page(Scanner), ...errors } } },
    async (req) => paginate(fleet.scanners(req.query).filter((s) => canSeeSite(who(req), s.site)), req.query));

  app.get('/api/fleet/scanners/:id', { config: { roles: ANY_ROLE }, schema: { tags, params: IdParams, response: { 200: Scanner, ...errors } } },
    async (req) => {
      const s = fleet.scanner(req.params.id);
      if (!s || !canSeeSite(who(req), s.site)) throw new HttpError(404, `scanner ${req.params.id} does not exist`);
      return s;
    });

  app.put('/api/fleet/scanners/:id', { config: { roles: ADMIN }, schema: { tags, summary: 'Register or replace a scanner', params: IdParams, body: Type.Omit(Scanner, ['id']), response: { 200: Scanner, 201: Scanner, ...errors } } },
    async (req, reply) => {
      const { scanner, created } = await fleet.putScanner({ ...req.body, id: req.params.id });
      return reply.code(created ? 201 : 200).send(scanner);
    });

  app.patch('/api/fleet/scanners/:id', { config: { roles: ADMIN }, schema: { tags, params: IdParams, body: ScannerUpdate, response: { 200: Scanner, ...errors } } },
    async (req) => fleet.patchScanner(req.params.id, req.body));

  app.delete('/api/fleet/scanners/:id', { config: { roles: ADMIN }, schema: { tags, params: IdParams, response: { 200: Ok, ...errors } } },
    async (req) => { await fleet.deleteScanner(req.params.id); return { ok: true as const }; });

  app.get('/api/fleet/unregistered', { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Scanners seen on MQTT that the registry does not list', querystring: PageQuery, response: { 200: Page(UnregisteredScanner), ...errors } } },
    async (req) => paginate(fleet.unregistered().filter((s) => canSeeSite(who(req), s.site)), req.query));
};
