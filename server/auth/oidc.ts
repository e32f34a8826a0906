// OpenID Connect sign-in (hospital single sign-on) with openid-client: authorization code flow with PKCE,
// state and nonce, the provider found by discovery from the configured issuer. The per-attempt secrets
// (state, nonce, PKCE verifier) stay in this process, keyed by a random id that the browser holds in an
// HttpOnly cookie for ten minutes; they are used once. With several Gantry instances behind a load balancer,
// /api/auth/oidc/* must reach the instance that started the attempt (sticky sessions).
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcFailure } from '../../contracts/index.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../../lib/logger.js';
import type { ExternalIdentity } from './auth-store.js';
import { mapRole, mapSites, mapUsername, needsUserinfo } from './oidc-claims.js';

export type OidcSettings = Config['auth']['oidc'];

/** A sign-in that cannot go on; the reason goes to the login page, the detail only to the log. */
export class OidcError extends Error {
  constructor(readonly reason: OidcFailure, detail: string) { super(detail); }
}

interface Attempt { state: string; nonce: string; verifier: string; redirectUri: string; expiresAt: number }

const ATTEMPT_TTL_MS = 10 * 60_000;
const MAX_ATTEMPTS = 10_000;

/** Checks the settings once at start-up, so a half-configured SSO stops Gantry with a clear message. */
export function checkOidcSettings(s: OidcSettings): void {
  let issuer: URL;
  try { issuer = new URL(s.issuer); } catch { throw new Error(`auth.oidc.issuer is not a URL: ${s.issuer}`); }
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && s.allowHttp)) {
    throw new Error('auth.oidc.issuer must be https:// (set auth.oidc.allowHttp for a lab identity provider)');
  }
  if (!s.clientId) throw new Error('auth.oidc.issuer is set but auth.oidc.clientId is empty');
  if (s.publicUrl) {
    try { new URL(s.publicUrl); } catch { throw new Error(`auth.oidc.publicUrl is not a URL: ${s.publicUrl}`); }
  }
}

export class OidcLogin {
  private discovered: Promise<client.Configuration> | undefined;
  private readonly attempts = new Map<string, Attempt>();

  constructor(private readonly s: OidcSettings, private readonly log: Logger) {
    checkOidcSettings(s);
    if (Object.keys(s.roleMap).length === 0) log.warn('auth.oidc.roleMap is empty: every single sign-on will be refused');
  }

  get providerName(): string { return this.s.providerName; }

  /** The redirect URI registered at the identity provider. */
  redirectUri(requestOrigin: string): string {
    return `${(this.s.publicUrl || requestOrigin).replace(/\/+$/, '')}/api/auth/oidc/callback`;
  }

  // Discovery happens at the first sign-in, not at start-up: Gantry must start while the IdP is down, and a
  // failed discovery is retried at the next attempt.
  private configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const { issuer, clientId, clientSecret, allowHttp } = this.s;
      const auth = clientSecret ? client.ClientSecretBasic(clientSecret) : client.None();
      const p = client.discovery(new URL(issuer), clientId, undefined, auth, { timeout: 10, ...(allowHttp ? { execute: [client.allowInsecureRequests] } : {}) });
      p.catch(() => { if (this.discovered === p) this.discovered = undefined; });
      this.discovered = p;
    }
    return this.discovered;
  }

  /** Starts a sign-in: the identity provider URL to send the browser to, and the attempt id for its cookie. */
  async begin(redirectUri: string): Promise<{ url: string; attemptId: string }> {
    let config: client.Configuration;
    try { config = await this.configuration(); } catch (err) { throw this.failure(err, 'discovery'); }
    const now = Date.now();
    for (const [id, a] of this.attempts) if (a.expiresAt <= now) this.attempts.delete(id); else break;
    if (this.attempts.size >= MAX_ATTEMPTS) this.attempts.delete(this.attempts.keys().next().value as string);
    const attempt: Attempt = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), redirectUri, expiresAt: now + ATTEMPT_TTL_MS };
    const attemptId = randomBytes(24).toString('base64url');
    this.attempts.set(attemptId, attempt);
    const scopes = new Set(['openid', ...this.s.scopes.split(/\s+/).filter(Boolean)]);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: [...scopes].join(' '), state: attempt.state, nonce: attempt.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(attempt.verifier), code_challenge_method: 'S256',
    });
    return { url: url.href, attemptId };
  }

  /** Finishes a sign-in from the callback's query string: checks state, exchanges the code, validates the ID
   *  token (issuer, audience, signature, nonce, expiry) and maps its claims. */
  async finish(attemptId: string | undefined, query: string): Promise<ExternalIdentity> {
    const attempt = attemptId ? this.attempts.get(attemptId) : undefined;
    if (attemptId) this.attempts.delete(attemptId);
    if (!attempt || attempt.expiresAt <= Date.now()) throw new OidcError('sso_expired', 'no sign-in attempt for this browser (cookie missing, expired or used)');
    let config: client.Configuration;
    try { config = await this.configuration(); } catch (err) { throw this.failure(err, 'discovery'); }
    let claims: Record<string, unknown>;
    let subject: string;
    try {
      const tokens = await client.authorizationCodeGrant(config, new URL(`${attempt.redirectUri}?${query}`), {
        pkceCodeVerifier: attempt.verifier, expectedState: attempt.state, expectedNonce: attempt.nonce, idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new OidcError('sso_invalid', 'no ID token in the token response');
      subject = idToken.sub;
      claims = { ...idToken };
      // Many providers put groups only in userinfo (oidc-provider, Keycloak without a mapper on the ID token).
      if (needsUserinfo(claims, this.s) && config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(config, tokens.access_token, subject);
        claims = { ...info, ...claims };
      }
    } catch (err) { throw this.failure(err, 'callback'); }
    const issuer = config.serverMetadata().issuer;
    const role = mapRole(claims, this.s);
    if (!role) throw new OidcError('sso_no_role', `no auth.oidc.roleMap entry matches the ${this.s.rolesClaim} claim of subject ${subject}`);
    const sites = mapSites(claims, this.s);
    return { issuer, subject, username: mapUsername(claims, this.s, issuer, subject), role, ...(sites ? { sites } : {}) };
  }

  private failure(err: unknown, step: string): OidcError {
    if (err instanceof OidcError) return err;
    const detail = err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err);
    let reason: OidcFailure = 'sso_invalid';
    if (err instanceof client.AuthorizationResponseError) reason = 'sso_denied';
    else if (err instanceof TypeError || (err instanceof client.ClientError && ['OAUTH_TIMEOUT', 'OAUTH_ABORT', 'OAUTH_RESPONSE_IS_NOT_CONFORM'].includes(err.code ?? ''))) reason = 'sso_unavailable';
    else if (step === 'discovery') reason = 'sso_unavailable';
    this.log.warn({ step, reason, detail }, 'single sign-on failed');
    return new OidcError(reason, detail);
  }
}
