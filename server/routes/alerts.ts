// Alert API: list and filter, acknowledge, silences, maintenance windows, rules read/edit. Every route names
// the roles that may call it in `config.roles`; the authentication hook enforces them (all roles may read).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AckRequest, Alert, AlertDetail, AlertQuery, ErrorBody } from '../../contracts/index.js';
import { RulesResponse, RuleView, type AudienceRole } from '../../contracts/alert-rules.js';
import { MaintenanceInput, MaintenanceWindow, Silence, SilenceInput } from '../../contracts/alert-silences.js';
import type { AlertingService } from '../alerts/service.js';
import { AUDIENCE } from '../../contracts/auth.js';

export type AlertingApi = Pick<AlertingService, 'list' | 'get' | 'deliveries' | 'acknowledge' | 'addSilence' | 'removeSilence' | 'addWindow' | 'removeWindow' | 'rules' | 'upsertRule' | 'suppressions'>;
export interface AlertRouteDeps { alerting: AlertingApi }

const READ: readonly AudienceRole[] = AUDIENCE.everyone;
const RESPOND: readonly AudienceRole[] = AUDIENCE.responders;
const PLAN: readonly AudienceRole[] = AUDIENCE.responders;
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const OPEN = ['pending', 'firing', 'acknowledged'];
const errors = { '4xx': ErrorBody };

function notFound(what: string): ErrorBody {
  return { statusCode: 404, error: 'Not Found', message: `${what} does not exist` };
}

export const alertRoutes: FastifyPluginAsyncTypebox<AlertRouteDeps> = async (app, { alerting }) => {
  app.get('/api/alerts', { config: { roles: READ }, schema: { querystring: AlertQuery, response: { 200: Type.Array(Alert), ...errors } } }, async (req) => {
    const q = req.query;
    const states = q.state ? q.state.split(',').flatMap((s) => (s === 'open' ? OPEN : [s.trim()])) : undefined;
    return alerting.list().filter((a) =>
      (!states || states.includes(a.state)) && (!q.severity || a.severity === q.severity) && (!q.site || a.site === q.site)
      && (!q.scannerId || a.scannerId === q.scannerId) && (!q.ruleId || a.ruleId === q.ruleId)
      && (q.silenced === undefined || Boolean(a.silenced) === q.silenced)).slice(0, q.limit ?? 200);
  });

  app.get('/api/alerts/silences', { config: { roles: READ }, schema: { response: { 200: Type.Array(Silence) } } },
    async () => [...alerting.suppressions.silences.values()]);

  app.post('/api/alerts/silences', { config: { roles: RESPOND }, schema: { body: SilenceInput, response: { 201: Silence, ...errors } } }, async (req, reply) => {
    if (req.body.endsAt <= Date.now()) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'endsAt must be in the future' });
    return reply.code(201).send(alerting.addSilence(req.body));
  });

  app.delete('/api/alerts/silences/:id', { config: { roles: RESPOND }, schema: { params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) =>
    alerting.removeSilence(req.params.id) ? reply.code(204).send(null) : reply.code(404).send(notFound(`silence ${req.params.id}`)));

  const WindowView = Type.Composite([MaintenanceWindow, Type.Object({ active: Type.Boolean() })]);
  app.get('/api/alerts/maintenance', { config: { roles: READ }, schema: { response: { 200: Type.Array(WindowView) } } }, async () => {
    const now = Date.now();
    return [...alerting.suppressions.windows.values()].map((w) => ({ ...w, active: alerting.suppressions.inWindow(w, now) }));
  });

  app.post('/api/alerts/maintenance', { config: { roles: PLAN }, schema: { body: MaintenanceInput, response: { 201: MaintenanceWindow, ...errors } } }, async (req, reply) => {
    try {
      return reply.code(201).send(alerting.addWindow(req.body));
    } catch (err) {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `invalid maintenance window: ${(err as Error).message}` });
    }
  });

  app.delete('/api/alerts/maintenance/:id', { config: { roles: PLAN }, schema: { params: Id, response: { 204: Type.Null(), ...errors } } }, async (req, reply) =>
    alerting.removeWindow(req.params.id) ? reply.code(204).send(null) : reply.code(404).send(notFound(`maintenance window ${req.params.id}`)));

  app.get('/api/alerts/rules', { config: { roles: READ }, schema: { response: { 200: RulesResponse } } }, async () => alerting.rules());

  app.put('/api/alerts/rules/:id', { config: { roles: AUDIENCE.admins }, schema: { params: Id, body: Type.Unknown(), response: { 200: RuleView, ...errors } } }, async (req, reply) => {
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'body must be a rule object' });
    }
    const r = alerting.upsertRule({ ...body, id: req.params.id });
    if (typeof r === 'string') return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: r });
    return { rule: r, source: 'api' };
  });

  app.get('/api/alerts/:id', { config: { roles: READ }, schema: { params: Id, response: { 200: AlertDetail, ...errors } } }, async (req, reply) => {
    const alert = alerting.get(req.params.id);
    if (!alert) return reply.code(404).send(notFound(`alert ${req.params.id}`));
    return { alert, deliveries: alerting.deliveries(req.params.id) };
  });

  app.post('/api/alerts/:id/ack', { config: { roles: RESPOND }, schema: { params: Id, body: AckRequest, response: { 200: Alert, ...errors } } }, async (req, reply) => {
    // The signed-in user takes the alert; the body's `by` is only a fallback for unauthenticated embedding.
    const r = alerting.acknowledge(req.params.id, req.principal?.actor ?? req.body.by, req.body.comment);
    if (r === 'not-found') return reply.code(404).send(notFound(`open alert ${req.params.id}`));
    if (r === 'not-firing') return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: 'only a firing alert can be acknowledged' });
    return r;
  });
};
