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
import { canSeeAlert, canSeeSilence, canSeeWindow, scopeSilence, scopeWindow, type SiteOf } from '../alerts/scope.js';
import type { Principal } from '../auth/principal.js';

export type AlertingApi = Pick<AlertingService, 'list' | 'get' | 'deliveries' | 'acknowledge' | 'addSilence' | 'removeSilence' | 'addWindow' | 'removeWindow' | 'rules' | 'upsertRule' | 'suppressions'>;
export interface AlertRouteDeps {
  alerting: AlertingApi;
  /** Site of a scanner (registry or last reading), for maintenance windows named by scanner. */
  siteOf: SiteOf;
}

const READ: readonly AudienceRole[] = ['admin', 'biomed', 'it', 'manager', 'viewer'];
const RESPOND: readonly AudienceRole[] = ['admin', 'biomed', 'it'];
const PLAN: readonly AudienceRole[] = ['admin', 'biomed', 'it'];
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const OPEN = ['pending', 'firing', 'acknowledged'];
const errors = { '4xx': ErrorBody };

function notFound(what: string): ErrorBody {
  return { statusCode: 404, error: 'Not Found', message: `${what} does not exist` };
}

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
    if (req.body.endsAt <= Date.now()) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'endsAt must be in the future' });
    return reply.code(201).send(alerting.addSilence(scopeSilence(who(req), req.body)));
  });

  app.delete('/api/alerts/silences/:id', { config: { roles: RESPOND }, schema: { params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const s = alerting.suppressions.silences.get(req.params.id);
    return s && canSeeSilence(who(req), s) && alerting.removeSilence(req.params.id)
      ? reply.code(204).send(null) : reply.code(404).send(notFound(`silence ${req.params.id}`));
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
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `invalid maintenance window: ${(err as Error).message}` });
    }
  });

  app.delete('/api/alerts/maintenance/:id', { config: { roles: PLAN }, schema: { params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const w = alerting.suppressions.windows.get(req.params.id);
    return w && canSeeWindow(who(req), w, siteOf) && alerting.removeWindow(req.params.id)
      ? reply.code(204).send(null) : reply.code(404).send(notFound(`maintenance window ${req.params.id}`));
  });

  app.get('/api/alerts/rules', { config: { roles: READ }, schema: { response: { 200: RulesResponse } } }, async () => alerting.rules());

  app.put('/api/alerts/rules/:id', { config: { roles: ['admin'] }, schema: { params: Id, body: Type.Unknown(), response: { 200: RuleView, ...errors } } }, async (req, reply) => {
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'body must be a rule object' });
    }
    const r = alerting.upsertRule({ ...body, id: req.params.id });
    if (typeof r === 'string') return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: r });
    return { rule: r, source: 'api' };
  });

  app.get('/api/alerts/:id', { config: { roles: READ }, schema: { params: Id, response: { 200: AlertDetail, ...errors } } }, async (req, reply) => {
    const alert = visibleAlert(who(req), req.params.id);
    if (!alert) return reply.code(404).send(notFound(`alert ${req.params.id}`));
    return { alert, deliveries: alerting.deliveries(req.params.id) };
  });

  app.post('/api/alerts/:id/ack', { config: { roles: RESPOND }, schema: { params: Id, body: AckRequest, response: { 200: Alert, ...errors } } }, async (req, reply) => {
    // The authenticated caller takes the alert; the body's `by` is ignored (it could name anyone).
    const p = who(req);
    if (!visibleAlert(p, req.params.id)) return reply.code(404).send(notFound(`open alert ${req.params.id}`));
    const r = alerting.acknowledge(req.params.id, p.actor, req.body.comment);
    if (r === 'not-found') return reply.code(404).send(notFound(`open alert ${req.params.id}`));
    if (r === 'not-firing') return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: 'only a firing alert can be acknowledged' });
    return r;
  });
};
