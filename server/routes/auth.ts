// Login, logout, the signed-in identity and password change.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { ChangePasswordRequest, ErrorBody, LoginRequest, Me, Ok, Username } from '../../contracts/index.js';
import type { AuthStore } from '../auth/auth-store.js';
import { ANY_ROLE, HttpError, SESSION_COOKIE } from '../auth/guard.js';
import type { Principal } from '../auth/principal.js';

export interface AuthRouteDeps { auth: AuthStore; sessionTtlMs: number; secureCookies: boolean; loginRatePerMinute: number }

const errors = { '4xx': ErrorBody };
const toMe = (p: Principal): Me => ({
  username: p.username, role: p.role, via: p.via,
  ...(p.sites ? { sites: p.sites } : {}), ...(p.mustChangePassword ? { mustChangePassword: true } : {}),
});

/** The session cookie, the same for password and single sign-on logins. */
export function setSessionCookie(reply: FastifyReply, sessionId: string, o: { secureCookies: boolean; sessionTtlMs: number }): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true, sameSite: 'strict', secure: o.secureCookies, path: '/', maxAge: Math.floor(o.sessionTtlMs / 1000),
  });
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteDeps> = async (app, deps) => {
  app.post('/api/auth/login', {
    config: { public: true, rateLimit: { max: deps.loginRatePerMinute, timeWindow: 60_000 } },
    schema: { tags: ['auth'], summary: 'Log in; sets the HttpOnly session cookie', body: LoginRequest, response: { 200: Me, ...errors } },
  }, async (req, reply) => {
    req.auditTarget = req.body.username;
    const { sessionId, principal } = await deps.auth.login(req.body.username, req.body.password, req.ip);
    req.principal = principal;
    setSessionCookie(reply, sessionId, deps);
    return toMe(principal);
  });

  app.post('/api/auth/logout', {
    config: { public: true },
    schema: { tags: ['auth'], summary: 'End the session; its live sockets are disconnected', response: { 200: Ok, ...errors } },
  }, async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) await deps.auth.logout(sid);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/api/me', {
    config: { roles: ANY_ROLE, beforePasswordChange: true },
    schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: Me, ...errors } },
  }, async (req) => toMe(req.principal as Principal));

  app.post('/api/me/password', {
    config: { roles: ANY_ROLE, beforePasswordChange: true, rateLimit: { max: deps.loginRatePerMinute, timeWindow: 60_000 } },
    schema: { tags: ['auth'], summary: 'Change your own password; ends your other sessions', body: ChangePasswordRequest, response: { 200: Ok, ...errors } },
  }, async (req) => {
    const p = req.principal as Principal;
    if (p.via !== 'session') throw new HttpError(403, 'API tokens have no password');
    // Every other session of this user ends (and its sockets drop); the one making the change stays.
    await deps.auth.changePassword(p.username, req.body.currentPassword, req.body.newPassword, p.sessionKey);
    return { ok: true as const };
  });
};

export const UsernameParams = Type.Object({ username: Username });
