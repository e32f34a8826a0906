// Alert API: list and filter, acknowledge, silences, maintenance windows, rules read/edit. Every route names
// the roles that may call it in `config.roles`; the authentication hook enforces them (all roles may read).
// Site-scoped callers see and act on their sites only (scope.ts); another site's alert, silence or window
// answers 404, like one that does not exist.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AckRequest, Alert, AlertDetail, AlertQuery, ErrorBody } from '../../contracts/index.js';
import { RulesResponse, RuleView, type AudienceRole } from '../../contracts/alert-rules.js';
import { MaintenanceRequest, MaintenanceWindow, Silence, SilenceRequest } from '../../contracts/alert-silences.js';
import type { AlertingService } from '../alerts/service.js';
import { AUDIENCE } from '../../contracts/auth.js';
import { HttpError } from '../lib/http-error.js';
import { canSeeAlert, canSeeSilence, canSeeWindow, scopeSilence, scopeWindow, type SiteOf } from '../alerts/scope.js';
import type { Principal } from '../auth/principal.js';

export type AlertingApi = Pick<AlertingService, 'list' | 'get' | 'deliveries' | 'acknowledge' | 'addSilence' | 'removeSilence' | 'addWindow' | 'removeWindow' | 'rules' | 'upsertRule' | 'suppressions'>;
export interface AlertRouteDeps {
  alerting: AlertingApi;
  /** Site of a scanner (registry or last reading), for maintenance windows named by scanner. */
  siteOf: SiteOf;
}

const READ: readonly AudienceRole[] = AUDIENCE.everyone;
const RESPOND: readonly AudienceRole[] = AUDIENCE.responders;
const PLAN: readonly AudienceRole[] = AUDIENCE.responders;
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const OPEN = ['pending', 'firing', 'acknowledged'];
const errors = { '4xx': ErrorBody };

const notFound = (what: string) => new HttpError(404, `${what} does not exist`);

const who = (req: { principal: Principal | undefined }) => req.principal as Principal;

export const alertRoutes: FastifyPluginAsyncTypebox<AlertRouteDeps> = async (app, { alerting, siteOf }) => {
  /** The alert when it exists and the caller may see its site. */
  const visibleAlert = (p: Principal, id: string) => {
    const a = alerting.get(id);
    return a && canSeeAlert(p, a) ? a : undefined;
  };

  app.get('/api/alerts', { config: { roles: READ }, schema: { querystring: AlertQuery, response: { 200: Type.Array(Alert), ...errors } } }, async (req) => {
    const q = req.query;
    const p = who(req);
    const states = q.state ? q.state.split(',').flatMap((s) => (s === 'open' ? OPEN : [s.trim()])) : undefined;
    return alerting.list().filter((a) => canSeeAlert(p, a)
      && (!states || states.includes(a.state)) && (!q.severity || a.severity === q.severity) && (!q.site || a.site === q.site)
      && (!q.scannerId || a.scannerId === q.scannerId) && (!q.ruleId || a.ruleId === q.ruleId)
      && (q.silenced === undefined || Boolean(a.silenced) === q.silenced)).slice(0, q.limit ?? 200);
  });

  app.get('/api/alerts/silences', { config: { roles: READ }, schema: { response: { 200: Type.Array(Silence) } } },
    async (req) => [...alerting.suppressions.silences.values()].filter((s) => canSeeSilence(who(req), s)));

  app.post('/api/alerts/silences', { config: { roles: RESPOND }, schema: { body: SilenceRequest, response: { 201: Silence, ...errors } } }, async (req, reply) => {
    if (req.body.endsAt <= Date.now()) throw new HttpError(400, 'endsAt must be in the future');
    return reply.code(201).send(alerting.addSilence(scopeSilence(who(req), req.body)));
  });

  app.delete('/api/alerts/silences/:id', { config: { roles: RESPOND }, schema: { params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const s = alerting.suppressions.silences.get(req.params.id);
    if (!(s && canSeeSilence(who(req), s) && alerting.removeSilence(req.params.id))) throw notFound(`silence ${req.params.id}`);
    return reply.code(204).send(null);
  });

  const WindowView = Type.Composite([MaintenanceWindow, Type.Object({ active: Type.Boolean() })]);
  app.get('/api/alerts/maintenance', { config: { roles: READ }, schema: { response: { 200: Type.Array(WindowView) } } }, async (req) => {
    const now = Date.now();
    return [...alerting.suppressions.windows.values()].filter((w) => canSeeWindow(who(req), w, siteOf))
      .map((w) => ({ ...w, active: alerting.suppressions.inWindow(w, now) }));
  });

  app.post('/api/alerts/maintenance', { config: { roles: PLAN }, schema: { body: MaintenanceRequest, response: { 201: MaintenanceWindow, ...errors } } }, async (req, reply) => {
    const input = scopeWindow(who(req), req.body, siteOf);
    try {
      return reply.code(201).send(alerting.addWindow(input));
    } catch (err) {
      throw new HttpError(400, `invalid maintenance window: ${(err as Error).message}`);
    }
  });

  app.delete('/api/alerts/maintenance/:id', { config: { roles: PLAN }, schema: { params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const w = alerting.suppressions.windows.get(req.params.id);
    if (!(w && canSeeWindow(who(req), w, siteOf) && alerting.removeWindow(req.params.id))) throw notFound(`maintenance window ${req.params.id}`);
    return reply.code(204).send(null);
  });

  app.get('/api/alerts/rules', { config: { roles: READ }, schema: { response: { 200: RulesResponse } } }, async () => alerting.rules());

  app.put('/api/alerts/rules/:id', { config: { roles: AUDIENCE.admins }, schema: { params: Id, body: Type.Unknown(), response: { 200: RuleView, ...errors } } }, async (req) => {
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'body must be a rule object');
    }
    const r = alerting.upsertRule({ ...body, id: req.params.id });
    if (typeof r === 'string') throw new HttpError(400, r);
    return { rule: r, source: 'api' };
  });

  app.get('/api/alerts/:id', { config: { roles: READ }, schema: { params: Id, response: { 200: AlertDetail, ...errors } } }, async (req) => {
    const alert = visibleAlert(who(req), req.params.id);
    if (!alert) throw notFound(`alert ${req.params.id}`);
    return { alert, deliveries: alerting.deliveries(req.params.id) };
  });

  app.post('/api/alerts/:id/ack', { config: { roles: RESPOND }, schema: { params: Id, body: AckRequest, response: { 200: Alert, ...errors } } }, async (req) => {
    // The authenticated caller takes the alert; the body's `by` is ignored (it could name anyone).
    const p = who(req);
    if (!visibleAlert(p, req.params.id)) throw notFound(`open alert ${req.params.id}`);
    const r = alerting.acknowledge(req.params.id, p.actor, req.body.comment);
    if (r === 'not-found') throw notFound(`open alert ${req.params.id}`);
    if (r === 'not-firing') throw new HttpError(409, 'only a firing alert can be acknowledged');
    return r;
  });
};
