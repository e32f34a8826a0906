// Single sign-on routes: which sign-in methods exist, and the OpenID Connect redirect pair. Both OIDC routes
// are registered always and answer 404 when no issuer is configured, so the route table is the same either
// way. A failed sign-in never answers an error page: the browser goes back to /login?error=<reason> and the
// detail goes to the log.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AuthMethods, ErrorBody, type OidcFailure } from '../../contracts/index.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AuthError, type AuthStore } from '../auth/auth-store.js';
import { HttpError } from '../auth/guard.js';
import { OidcError, type OidcLogin } from '../auth/oidc.js';
import { setSessionCookie } from './auth.js';

export interface OidcRouteDeps {
  oidc: OidcLogin | undefined;
  auth: AuthStore;
  audit: AuditLog;
  sessionTtlMs: number;
  secureCookies: boolean;
  loginRatePerMinute: number;
}

const ATTEMPT_COOKIE = 'gantry_oidc';
const LOGIN_URL = '/api/auth/oidc/login';
const CALLBACK_URL = '/api/auth/oidc/callback';
const redirectSchema = { 302: Type.Null({ description: 'redirect (Location header)' }), 404: ErrorBody };

const STORE_FAILURES: Record<string, OidcFailure> = { username_taken: 'sso_username_taken', disabled: 'sso_disabled' };

export const oidcRoutes: FastifyPluginAsyncTypebox<OidcRouteDeps> = async (app, deps) => {
  const { oidc } = deps;
  const notConfigured = () => new HttpError(404, 'single sign-on is not configured (auth.oidc.issuer)', 'sso_not_configured');
  // The attempt cookie must come back on the identity provider's cross-site redirect: SameSite=Lax, not Strict.
  const attemptCookie = { httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies, path: '/api/auth/oidc' };

  app.get('/api/auth/methods', {
    config: { public: true },
    schema: { tags: ['auth'], summary: 'Sign-in methods the login page offers', response: { 200: AuthMethods } },
  }, async (): Promise<AuthMethods> => ({ password: true, ...(oidc ? { oidc: { name: oidc.providerName, loginUrl: LOGIN_URL } } : {}) }));

  app.get(LOGIN_URL, {
    config: { public: true, rateLimit: { max: deps.loginRatePerMinute, timeWindow: 60_000 } },
    schema: { tags: ['auth'], summary: 'Start single sign-on: redirects to the identity provider', response: redirectSchema },
  }, async (req, reply) => {
    if (!oidc) throw notConfigured();
    try {
      const { url, attemptId } = await oidc.begin(oidc.redirectUri(`${req.protocol}://${req.host}`));
      reply.setCookie(ATTEMPT_COOKIE, attemptId, { ...attemptCookie, maxAge: 600 });
      return reply.redirect(url);
    } catch (err) {
      if (!(err instanceof OidcError)) req.log.error({ err }, 'single sign-on could not start');
      return reply.redirect(`/login?error=${err instanceof OidcError ? err.reason : 'sso_unavailable'}`);
    }
  });

  app.get(CALLBACK_URL, {
    config: { public: true, rateLimit: { max: deps.loginRatePerMinute, timeWindow: 60_000 } },
    // No query schema: identity providers add their own parameters (session_state, iss, client_info).
    schema: { tags: ['auth'], summary: 'Identity provider redirect back: opens a session and redirects to the dashboard', response: redirectSchema },
  }, async (req, reply) => {
    if (!oidc) throw notConfigured();
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const attemptId = req.cookies[ATTEMPT_COOKIE];
    reply.clearCookie(ATTEMPT_COOKIE, attemptCookie);
    const audit = (actor: string, target: string) => deps.audit.append({ ts: Date.now(), actor, action: `GET ${CALLBACK_URL}`, target, statusCode: 302, ip: req.ip });
    try {
      const identity = await oidc.finish(attemptId, query);
      const { sessionId, principal } = await deps.auth.loginExternal(identity);
      req.principal = principal;
      setSessionCookie(reply, sessionId, deps);
      audit(principal.actor, principal.username);
      req.log.info({ username: principal.username, role: principal.role }, 'single sign-on');
      return reply.redirect('/');
    } catch (err) {
      let reason: OidcFailure = 'sso_unavailable';
      if (err instanceof OidcError) reason = err.reason;
      else if (err instanceof AuthError && err.code && STORE_FAILURES[err.code]) {
        reason = STORE_FAILURES[err.code] as OidcFailure;
        req.log.warn({ reason, detail: err.message }, 'single sign-on refused');
      } else req.log.error({ err }, 'single sign-on failed');
      audit('anonymous', `refused:${reason}`);
      return reply.redirect(`/login?error=${reason}`);
    }
  });
};
