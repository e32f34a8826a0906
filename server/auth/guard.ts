// Fail-closed authorisation. Every route declares `config.roles` (who may call it) or `config.public: true`
// (health, login, static files, the API docs). A route with neither answers 403 for everyone, and the route
// table test fails, so a forgotten declaration cannot become an open endpoint.
// API tokens additionally need the scope of the call: read (GET/HEAD), write (other methods), or the
// scope the route names (`config.scope`, e.g. metrics).
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Role, TokenScope } from '../../contracts/index.js';
import type { AuthStore } from './auth-store.js';
import { HttpError } from '../lib/http-error.js';
import type { Principal } from './principal.js';
import { AUDIENCE } from '../../contracts/auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed to call the route. Required unless `public`. */
    roles?: readonly Role[];
    /** Open to anyone (health, login, static files, docs). */
    public?: boolean;
    /** Scope an API token needs; default read for GET/HEAD, write otherwise. */
    scope?: TokenScope;
    /** Reachable by a user who still has to replace a one-time password (who am I, change password). */
    beforePasswordChange?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
    /** Resource a write acted on, for the audit log when the URL has no :id. */
    auditTarget: string | undefined;
  }
}

export const SESSION_COOKIE = 'gantry_session';
export const ANY_ROLE: readonly Role[] = AUDIENCE.everyone;

export { HttpError };

export interface RouteEntry { method: string; url: string; options: RouteOptions }

/** Resolves the caller from `Authorization: Bearer <API token>` or the session cookie. */
export function authenticate(store: AuthStore, authorization: string | undefined, cookies: Record<string, string | undefined>): Principal | undefined {
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    return m ? store.fromBearer(m[1] as string) : undefined;
  }
  const sid = cookies[SESSION_COOKIE];
  return sid ? store.fromSession(sid) : undefined;
}

function neededScope(req: FastifyRequest): TokenScope {
  return req.routeOptions.config.scope ?? (req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write');
}

/** Installs the guard on the root instance; returns the live list of every route registered after it. */
export function installGuard(app: FastifyInstance, store: AuthStore): RouteEntry[] {
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (options) => {
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    for (const method of methods) routes.push({ method, url: options.url, options });
  });
  app.decorateRequest('principal', undefined);
  app.decorateRequest('auditTarget', undefined);
  app.addHook('onRequest', async (req) => {
    if (req.is404) return;
    const cfg = req.routeOptions.config;
    const principal = authenticate(store, req.headers.authorization, req.cookies);
    req.principal = principal;
    if (cfg.public) return;
    if (!principal) throw new HttpError(401, 'authentication required: log in, or send Authorization: Bearer <API token>');
    if (!cfg.roles || cfg.roles.length === 0) {
      req.log.error({ route: req.routeOptions.url }, 'route declares no roles: denied');
      throw new HttpError(403, 'this route declares no roles');
    }
    if (!cfg.roles.includes(principal.role)) throw new HttpError(403, `role ${principal.role} may not do this`);
    if (principal.mustChangePassword && !cfg.beforePasswordChange) {
      throw new HttpError(403, 'choose a new password first (POST /api/me/password)', 'password_change_required');
    }
    if (principal.via === 'token') {
      const scope = neededScope(req);
      if (!principal.scopes?.includes(scope)) throw new HttpError(403, `this API token lacks the ${scope} scope`);
    }
  });
  return routes;
}

/** Marks every route registered inside `instance` as public (for plugins whose routes we do not declare). */
export function markPublic(instance: FastifyInstance): void {
  instance.addHook('onRoute', (options) => { options.config = { ...(options.config ?? {}), public: true }; });
}
