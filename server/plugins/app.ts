// Tier 2: Gantry's own cross-cutting plugins: the one error body, the fail-closed route guard and the audit
// trail of every write. Domain routes come after this.
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ErrorBody } from '../../contracts/index.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthStore } from '../auth/auth-store.js';
import { installGuard, type RouteEntry } from '../auth/guard.js';
import { HttpError } from '../lib/http-error.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when `body` is valid JSON, i.e. the strict parser refused it only for its prototype keys. */
function plainJson(body: string): boolean {
  try { JSON.parse(body); return true; } catch { return false; }
}

/**
 * Fastify's JSON parser (which refuses `__proto__` and `constructor.prototype` keys), but a body refused for
 * those keys is told so: the stock answer "Body is not valid JSON" sends the caller hunting a syntax error.
 */
function registerJsonParser(app: FastifyInstance): void {
  const strict = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    void strict(req, body as string, (err, value) => {
      if (err && plainJson(body as string)) {
        done(new HttpError(400, 'the body contains a "__proto__" or "constructor.prototype" key, which is refused (prototype pollution)', 'forbidden_key'), undefined);
      } else done(err, value);
    });
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  registerJsonParser(app);
  // A 5xx never reveals internals to the caller (the log has them).
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const statusCode = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (statusCode >= 500) req.log.error({ err }, 'request failed');
    const body: ErrorBody = {
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: statusCode >= 500 ? 'Internal Server Error' : err.message,
      ...(err.code && statusCode < 500 ? { code: err.code } : {}),
    };
    return reply.code(statusCode).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const body: ErrorBody = { statusCode: 404, error: 'Not Found', message: `${req.method} ${req.url.split('?')[0]} does not exist` };
    return reply.code(404).send(body);
  });
}

export function registerAppPlugins(app: FastifyInstance, deps: { auth: AuthStore; audit: AuditLog; registry: Registry }): RouteEntry[] {
  registerErrorHandling(app);
  const routes = installGuard(app, deps.auth);
  // Labelled by route pattern, never by raw URL, so label cardinality is bounded by the route table.
  const requests = new Counter({ name: 'gantry_http_requests_total', help: 'HTTP requests by route pattern and status', labelNames: ['method', 'route', 'status'], registers: [deps.registry] });
  const duration = new Histogram({ name: 'gantry_http_request_duration_seconds', help: 'HTTP request duration by route pattern', labelNames: ['route'], buckets: [0.005, 0.02, 0.1, 0.5, 2, 10], registers: [deps.registry] });
  app.addHook('onClose', async () => {
    deps.registry.removeSingleMetric('gantry_http_requests_total');
    deps.registry.removeSingleMetric('gantry_http_request_duration_seconds');
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.is404 ? 'unmatched' : req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    duration.observe({ route }, reply.elapsedTime / 1000);
  });
  app.addHook('onResponse', async (req, reply) => {
    if (READS.has(req.method) || req.is404) return;
    const params = (req.params ?? {}) as Record<string, unknown>;
    const target = req.auditTarget ?? [params.id, params.username].find((v): v is string => typeof v === 'string');
    deps.audit.append({
      ts: Date.now(),
      actor: req.principal?.actor ?? 'anonymous',
      action: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`,
      ...(target ? { target } : {}),
      statusCode: reply.statusCode,
      ip: req.ip,
    });
  });
  return routes;
}
