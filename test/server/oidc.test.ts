// Single sign-on against a real OpenID provider (oidc-provider, the certified OP for Node) on a free port:
// the whole browser flow over HTTP (redirects followed by hand, the provider's login and consent forms
// submitted), ending with a Gantry session whose role comes from the mapped group. Refusals (unmapped
// group, tampered state, replayed callback, aborted login, a local user's name) land on /login?error=...
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { AuthMethods, ErrorBody, type Me, type User } from '../../contracts/index.js';
import { claimValues, mapRole, mapSites, mapUsername } from '../../server/auth/oidc-claims.js';
import { checkOidcSettings, OidcError, OidcLogin } from '../../server/auth/oidc.js';
import { loadConfig } from '../../server/config/load.js';
import { createLogger } from '../../lib/logger.js';
import { startTestOp, type TestAccount, type TestOp } from '../support/oidc-provider.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The provider's accounts; the test edits them to show role changes follow the identity provider. */
const accounts: Record<string, TestAccount> = {
  alice: { preferred_username: 'Alice.Smith@hospital.example', groups: ['staff', 'gantry-biomed'], sites: ['central', 'NOT A SLUG'] },
  bob: { preferred_username: 'bob', groups: ['staff'] },
  carol: { preferred_username: 'admin', groups: ['gantry-admins'] },
};

class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, i);
      const value = (pair as string).slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c)) this.cookies.delete(name); else this.cookies.set(name, value);
    }
  }
  get(name: string): string | undefined { return this.cookies.get(name); }
  set(name: string, value: string | undefined): void { if (value === undefined) this.cookies.delete(name); else this.cookies.set(name, value); }
  header(): string { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
}

let p: TestPlatform;
let op: TestOp;

async function get(url: string, jar: Jar): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.take(res);
  return res;
}

/** Follows the browser's path through the provider until it redirects back to Gantry's callback; returns that
 *  callback URL. `abort` cancels at the login form instead of signing in. */
async function throughProvider(start: string, account: string, opJar: Jar, abort = false): Promise<URL> {
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop++) {
    if (url.pathname === '/api/auth/oidc/callback') return url;
    const res = await get(url.href, opJar);
    if (res.status === 200 && url.pathname.startsWith('/interaction/')) {
      const html = await res.text();
      const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
      const target = abort ? `${url.href}/abort` : url.href;
      const body = prompt === 'login' ? new URLSearchParams({ prompt, login: account, password: 'x' }) : new URLSearchParams({ prompt: 'consent' });
      const next = abort
        ? await get(target, opJar)
        : await fetch(target, { method: 'POST', redirect: 'manual', body, headers: { cookie: opJar.header(), 'content-type': 'application/x-www-form-urlencoded' } });
      opJar.take(next);
      url = new URL(next.headers.get('location') as string, url);
      continue;
    }
    const text = await res.text();
    assert.ok(res.status >= 300 && res.status < 400, `provider answered ${res.status} at ${url.pathname}: ${text}`);
    url = new URL(res.headers.get('location') as string, url);
  }
  throw new Error('too many redirects');
}

/** The whole sign-in as a browser does it; returns Gantry's answer to the callback and the browser's Gantry cookies. */
async function signIn(account: string, tamper?: (callback: URL) => URL): Promise<{ res: Response; gantry: Jar; callback: URL; attempt: string }> {
  const gantry = new Jar();
  const start = await get(`${p.url}/api/auth/oidc/login`, gantry);
  assert.equal(start.status, 302);
  const location = start.headers.get('location') as string;
  assert.ok(location.startsWith(`${op.issuer}/`), location);
  const auth = new URL(location);
  assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(auth.searchParams.get('state') && auth.searchParams.get('nonce'));
  const attempt = gantry.get('gantry_oidc') as string;
  assert.ok(attempt, 'no attempt cookie');
  const callback = await throughProvider(location, account, new Jar());
  const res = await get((tamper ? tamper(new URL(callback)) : callback).href, gantry);
  return { res, gantry, callback, attempt };
}

const me = async (cookie: string) => (await p.api('/api/me', { cookie: `gantry_session=${cookie}` })).json() as Promise<Me>;

before(async () => {
  op = await startTestOp(accounts);
  p = await startTestPlatform({
    'auth.oidc': {
      issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, providerName: 'Hospital SSO', allowHttp: true,
      scopes: 'openid profile groups sites', roleMap: { 'gantry-admins': 'admin', 'gantry-biomed': 'biomed', 'gantry-viewers': 'viewer' }, sitesClaim: 'sites',
    },
    // The SSO routes share the login rate limit; this file signs in more often than a person would.
    'auth.loginRatePerMinute': 200,
  });
  op.serve(`${p.url}/api/auth/oidc/callback`);
});
after(async () => {
  await p?.close();
  await op?.close();
});

describe('single sign-on with a real OpenID provider', () => {
  test('the login page learns the provider name from GET /api/auth/methods', async () => {
    const body: unknown = await (await p.api('/api/auth/methods', { cookie: '' })).json();
    assert.ok(Value.Check(AuthMethods, body));
    assert.deepEqual(body, { password: true, oidc: { name: 'Hospital SSO', loginUrl: '/api/auth/oidc/login' } });
  });

  test('a user in a mapped group ends with a Gantry session of the mapped role, recorded as an external user', async () => {
    const { res, gantry } = await signIn('alice');
    assert.equal(res.status, 302, await res.text());
    assert.equal(res.headers.get('location'), '/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gantry_session=')) ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const session = gantry.get('gantry_session') as string;
    assert.deepEqual(await me(session), { username: 'alice.smith@hospital.example', role: 'biomed', via: 'session', sites: ['central'] });
    const users = ((await (await p.api('/api/users?limit=100')).json()) as { items: User[] }).items;
    assert.equal(users.find((u) => u.username === 'alice.smith@hospital.example')?.external, true);
    const audit = ((await (await p.api('/api/audit?action=oidc')).json()) as { items: { actor: string; target?: string }[] }).items;
    assert.ok(audit.some((e) => e.actor === 'alice.smith@hospital.example' && e.target === 'alice.smith@hospital.example'), JSON.stringify(audit));
  });

  test('the role follows the identity provider at the next sign-in', async () => {
    (accounts.alice as TestAccount).groups = ['gantry-viewers', 'staff'];
    try {
      const { res, gantry } = await signIn('alice');
      assert.equal(res.status, 302);
      assert.equal((await me(gantry.get('gantry_session') as string)).role, 'viewer');
    } finally { (accounts.alice as TestAccount).groups = ['staff', 'gantry-biomed']; }
  });

  test('a user whose groups map to no role is refused and gets no session or user record', async () => {
    const { res, gantry } = await signIn('bob');
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/login?error=sso_no_role');
    assert.equal(gantry.get('gantry_session'), undefined);
    const users = ((await (await p.api('/api/users?limit=100')).json()) as { items: User[] }).items;
    assert.ok(!users.some((u) => u.username === 'bob'));
  });

  test('a tampered state is refused; a callback without the attempt cookie, or replayed, is refused', async () => {
    const tampered = await signIn('alice', (cb) => {
      cb.searchParams.set('state', `${cb.searchParams.get('state') as string}x`);
      return cb;
    });
    assert.equal(tampered.res.headers.get('location'), '/login?error=sso_invalid');
    assert.equal(tampered.gantry.get('gantry_session'), undefined);
    // An attempt is used once: the genuine callback, with the same attempt cookie, does not work after it.
    const replayJar = new Jar();
    replayJar.set('gantry_oidc', tampered.attempt);
    const replay = await get(tampered.callback.href, replayJar);
    assert.equal(replay.headers.get('location'), '/login?error=sso_expired');
    assert.equal(replayJar.get('gantry_session'), undefined);
    // A genuine callback that reaches another browser (no attempt cookie) is refused too.
    const gantry = new Jar();
    const start = await get(`${p.url}/api/auth/oidc/login`, gantry);
    const stolen = await throughProvider(start.headers.get('location') as string, 'alice', new Jar());
    const elsewhere = new Jar();
    assert.equal((await get(stolen.href, elsewhere)).headers.get('location'), '/login?error=sso_expired');
    assert.equal(elsewhere.get('gantry_session'), undefined);
  });

  test('a sign-in cancelled at the identity provider comes back as denied', async () => {
    const gantry = new Jar();
    const start = await get(`${p.url}/api/auth/oidc/login`, gantry);
    const callback = await throughProvider(start.headers.get('location') as string, 'alice', new Jar(), true);
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    const res = await get(callback.href, gantry);
    assert.equal(res.headers.get('location'), '/login?error=sso_denied');
  });

  test('an identity provider user never takes over a local user of the same name', async () => {
    const { res, gantry } = await signIn('carol');
    assert.equal(res.headers.get('location'), '/login?error=sso_username_taken');
    assert.equal(gantry.get('gantry_session'), undefined);
  });

  test('an external user cannot log in with a password, nor be given one', async () => {
    const login = await p.api('/api/auth/login', { method: 'POST', cookie: '', json: { username: 'alice.smith@hospital.example', password: '' + 'anything-at-all' } });
    assert.equal(login.status, 401);
    const set = await p.api('/api/users/alice.smith@hospital.example', { method: 'PATCH', json: { password: 'a-new-long-password' } });
    assert.equal(set.status, 409);
    assert.equal(((await set.json()) as ErrorBody).code, 'external_user');
  });

  test('an external user disabled in Gantry cannot sign in through the identity provider', async () => {
    const name = 'alice.smith@hospital.example';
    assert.equal((await p.api(`/api/users/${name}`, { method: 'PATCH', json: { disabled: true } })).status, 200);
    try {
      const { res, gantry } = await signIn('alice');
      assert.equal(res.headers.get('location'), '/login?error=sso_disabled');
      assert.equal(gantry.get('gantry_session'), undefined);
    } finally { await p.api(`/api/users/${name}`, { method: 'PATCH', json: { disabled: false } }); }
  });

  test('garbage on the callback never answers 5xx', async () => {
    for (const q of ['', 'error=server_error', 'code=&state=', 'state=%ZZ', `iss=${encodeURIComponent('https://evil.example')}&code=a&state=b`]) {
      const res = await get(`${p.url}/api/auth/oidc/callback?${q}`, new Jar());
      assert.equal(res.status, 302, q);
      assert.match(res.headers.get('location') as string, /^\/login\?error=sso_[a-z_]+$/);
    }
  });
});

describe('single sign-on switched off', () => {
  let off: TestPlatform;
  before(async () => { off = await startTestPlatform(); });
  after(async () => { await off?.close(); });

  test('the OIDC routes answer 404 with the error body and the login page offers passwords only', async () => {
    for (const path of ['/api/auth/oidc/login', '/api/auth/oidc/callback?code=a&state=b']) {
      const res = await off.api(path, { cookie: '', redirect: 'manual' });
      assert.equal(res.status, 404);
      assert.ok(Value.Check(ErrorBody, await res.json()));
    }
    assert.deepEqual(await (await off.api('/api/auth/methods', { cookie: '' })).json(), { password: true });
  });
});

describe('claim mapping', () => {
  const s = { usernameClaim: 'preferred_username', rolesClaim: 'realm_access.roles', roleMap: { ops: 'it', radiology: 'viewer' } as const, sitesClaim: '' };
  test('dotted paths, exact URL-style names, single strings, first matching entry wins', () => {
    assert.equal(mapRole({ realm_access: { roles: ['radiology', 'ops'] } }, s), 'it');
    assert.equal(mapRole({ 'realm_access.roles': 'radiology' }, s), 'viewer');
    assert.equal(mapRole({ realm_access: { roles: ['other'] } }, s), undefined);
    assert.deepEqual(claimValues({ 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role': 'a' }, 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'), ['a']);
    assert.equal(mapSites({}, s), undefined);
    assert.deepEqual(mapSites({}, { ...s, sitesClaim: 'sites' }), []);
    assert.equal(mapUsername({ preferred_username: 'HOSPITAL\\JDoe' }, s, 'i', 'x'), 'hospital-jdoe');
    assert.match(mapUsername({}, s, 'i', 'x'), /^sso-[0-9a-f]{16}$/);
  });

  test('a half-configured single sign-on stops start-up with a clear message', () => {
    const base = loadConfig({}).auth.oidc;
    assert.throws(() => checkOidcSettings({ ...base, issuer: 'https://idp.example/realms/h' }), /clientId is empty/);
    assert.throws(() => checkOidcSettings({ ...base, issuer: 'http://idp.example', clientId: 'g' }), /must be https/);
    assert.throws(() => checkOidcSettings({ ...base, issuer: 'not a url', clientId: 'g' }), /not a URL/);
    assert.doesNotThrow(() => checkOidcSettings({ ...base, issuer: 'https://idp.example', clientId: 'g' }));
  });

  test('an unreachable identity provider is reported as unavailable, not as an error page', async () => {
    const settings = { ...loadConfig({}).auth.oidc, issuer: 'http://127.0.0.1:1', clientId: 'g', allowHttp: true };
    const login = new OidcLogin(settings, createLogger('silent'));
    await assert.rejects(login.begin('http://127.0.0.1/api/auth/oidc/callback'), (err: unknown) => err instanceof OidcError && err.reason === 'sso_unavailable');
  });

  test('the client secret is redacted from logs', () => {
    let out = '';
    const log = createLogger('info', { write: (line: string) => { out += line; } });
    log.info({ oidc: { clientSecret: 'super-secret-value' }, auth: { oidc: { clientSecret: 'super-secret-value' } } }, 'settings');
    assert.ok(!out.includes('super-secret-value'), out);
  });
});
