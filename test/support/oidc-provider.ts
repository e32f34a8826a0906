// A real OpenID provider for tests: oidc-provider (panva's certified OP) on a free port, with its development
// login and consent forms. The port is taken first so Gantry can be configured with the issuer before the
// provider knows Gantry's redirect URI (Gantry discovers the provider lazily, at the first sign-in).
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

export interface TestAccount { preferred_username: string; groups: string[]; sites?: string[] }

export interface TestOp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers Gantry's callback URL and starts answering. */
  serve(redirectUri: string): void;
  close(): Promise<void>;
}

/** `accounts` is read at each sign-in, so a test may change a user's groups between two sign-ins.
 *  `hostname: 'localhost'` puts the provider on another site than Gantry (127.0.0.1), as a real IdP is, so a
 *  browser applies its cross-site cookie rules to the redirects. */
export async function startTestOp(accounts: Record<string, TestAccount>, hostname: '127.0.0.1' | 'localhost' = '127.0.0.1'): Promise<TestOp> {
  const server = createServer();
  // localhost may resolve to ::1 or 127.0.0.1: the dual-stack wildcard answers both.
  await new Promise<void>((r) => server.listen(0, hostname === 'localhost' ? '::' : hostname, r));
  const addr = server.address();
  const issuer = `http://${hostname}:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const clientId = 'gantry';
  const clientSecret = 'op-client-secret-for-the-test-0123456789';
  return {
    issuer, clientId, clientSecret,
    serve(redirectUri) {
      const jwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };
      const provider = new Provider(issuer, {
        clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
        jwks: { keys: [jwk] },
        cookies: { keys: ['oidc-test-cookie-key'] },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
        // groups and sites reach Gantry through userinfo: by default the provider keeps scope claims out of the
        // ID token of the code flow, as many hospital IdPs do.
        claims: { openid: ['sub'], profile: ['preferred_username'], groups: ['groups'], sites: ['sites'] },
        findAccount: (_ctx, sub) => {
          const a = accounts[sub];
          return a ? { accountId: sub, claims: () => ({ sub, ...a }) } : undefined;
        },
      });
      server.on('request', provider.callback());
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
