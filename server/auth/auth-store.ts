// Users, API tokens and sessions, kept in one JSON document (hashes only: scrypt for passwords, SHA-256 for
// high-entropy token and session secrets): a file under dataDir for one process, Redis for a cluster
// (SharedState). Not InfluxDB because these are a few hundred records that must be read on every request and
// survive InfluxDB being down. Reads use the in-memory copy; every change goes through mutate(), which
// applies it to the newest document, so instances writing at once never undo each other.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { Type, type Static } from '@sinclair/typebox';
import { ApiToken, User, type CreateTokenRequest, type Role, type CreateUserRequest, type UpdateUserRequest } from '../../contracts/index.js';
import { FileState, type SharedState } from '../lib/shared-state.js';
import { HttpError as AuthError } from '../lib/http-error.js';
import { burnVerify, hashPassword, randomSecret, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { LocalLockout, type LoginLockout } from './lockout.js';

// Users of single sign-on carry the identity provider's issuer and subject, and an empty password hash that no
// password verifies against.
const StoredUser = Type.Intersect([User, Type.Object({
  passwordHash: Type.String(),
  oidc: Type.Optional(Type.Object({ issuer: Type.String(), subject: Type.String() })),
})]);
type StoredUser = Static<typeof StoredUser>;
const StoredToken = Type.Intersect([ApiToken, Type.Object({ secretHash: Type.String() })]);
type StoredToken = Static<typeof StoredToken>;
const StoredSession = Type.Object({ idHash: Type.String(), username: Type.String(), createdAt: Type.Number(), expiresAt: Type.Number() });
type StoredSession = Static<typeof StoredSession>;
export const StateFile = Type.Object({ users: Type.Array(StoredUser), tokens: Type.Array(StoredToken), sessions: Type.Array(StoredSession) });
export type StateFile = Static<typeof StateFile>;

/** Auth failures are HTTP errors with the status the API answers. */
export { HttpError as AuthError } from '../lib/http-error.js';

export interface AuthStoreOptions {
  file: string; sessionTtlMs: number; maxAttempts: number; lockoutMs: number;
  /** Where the document lives; default: the JSON file `file`. */
  shared?: SharedState<StateFile>;
  /** Where failed logins are counted; default: this process's memory. */
  lockout?: LoginLockout;
}

export function validAuthState(raw: unknown, where = 'auth state'): StateFile {
  if (!Value.Check(StateFile, raw)) throw new Error(`${where} is not a valid Gantry auth state file`);
  return raw;
}

const emptyState = (): StateFile => ({ users: [], tokens: [], sessions: [] });

/**
 * What stopped being valid, for holders of live connections (Socket.IO) to drop them at once. `user` means
 * every session of that user (except `exceptSessionKey`) must re-authenticate: the user was deleted,
 * disabled, demoted, re-scoped or changed their password. `recheck` comes from another instance of a
 * cluster, which changed the shared document: every live connection is checked against it.
 */
export type Revocation =
  | { kind: 'session'; sessionKey: string }
  | { kind: 'user'; username: string; exceptSessionKey?: string }
  | { kind: 'token'; tokenId: string }
  | { kind: 'recheck' };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const TOKEN_RE = /^gnt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

function publicUser(u: StoredUser): User {
  const { passwordHash: _h, oidc, ...rest } = u;
  return oidc ? { ...rest, external: true } : rest;
}

/** An identity vouched for by the OpenID provider (ID token validated, role already mapped). */
export interface ExternalIdentity { issuer: string; subject: string; username: string; role: Role; sites?: string[] }

function publicToken(t: StoredToken): ApiToken {
  const { secretHash: _h, ...rest } = t;
  return rest;
}

export class AuthStore {
  private readonly shared: SharedState<StateFile>;
  private readonly lockout: LoginLockout;
  private readonly revocationListeners = new Set<(r: Revocation) => void>();
  private readonly empty = emptyState();

  constructor(private readonly opts: AuthStoreOptions) {
    this.shared = opts.shared ?? new FileState(opts.file, (raw) => validAuthState(raw, opts.file));
    this.lockout = opts.lockout ?? new LocalLockout({ maxAttempts: opts.maxAttempts, lockoutMs: opts.lockoutMs });
    // Another instance changed users, sessions or tokens: live connections here are checked against it.
    this.shared.onChange(() => this.publishRevocation({ kind: 'recheck' }));
  }

  /** The newest document this process knows (read-only use; changes go through mutate). */
  private get state(): StateFile { return this.shared.current() ?? this.empty; }

  /** Applies a change to the newest document; expired sessions are dropped on the way. */
  private mutate<R>(fn: (s: StateFile) => R): Promise<R> {
    return this.shared.update(emptyState, (s) => {
      const now = Date.now();
      s.sessions = s.sessions.filter((x) => x.expiresAt > now);
      return fn(s);
    });
  }

  /** First start: creates `admin` with the given password or a random one, which is returned once. */
  async ensureInitialAdmin(configured: string): Promise<{ username: string; password: string; generated: boolean } | undefined> {
    if (this.state.users.length > 0) return undefined;
    const password = configured || randomSecret();
    const passwordHash = await hashPassword(password);
    // Another instance of a cluster may create it first: then there is nothing to show.
    const created = await this.mutate((s) => {
      if (s.users.length > 0) return false;
      s.users.push({ username: 'admin', role: 'admin', disabled: false, mustChangePassword: !configured, createdAt: Date.now(), passwordHash });
      return true;
    });
    return created ? { username: 'admin', password, generated: !configured } : undefined;
  }

  /**
   * Checks a password, with lock-out after repeated failures of this username from this client address
   * (see lockout.ts). The error never says which part was wrong.
   */
  async login(username: string, password: string, address: string): Promise<{ sessionId: string; principal: Principal }> {
    await this.shared.sync();
    if (await this.lockout.locked(username, address)) throw new AuthError(429, 'too many failed logins; try again later', 'locked_out');
    const user = this.state.users.find((u) => u.username === username);
    const ok = user && !user.oidc ? await verifyPassword(password, user.passwordHash) : (await burnVerify(password), false);
    if (!ok || !user || user.disabled) {
      await this.lockout.failed(username, address);
      throw new AuthError(401, 'wrong username or password', 'bad_credentials');
    }
    await this.lockout.succeeded(username, address);
    return this.startSession(user);
  }

  private async startSession(user: StoredUser): Promise<{ sessionId: string; principal: Principal }> {
    const now = Date.now();
    const sessionId = randomBytes(32).toString('base64url');
    const idHash = sha256(sessionId);
    await this.mutate((s) => {
      s.sessions.push({ idHash, username: user.username, createdAt: now, expiresAt: now + this.opts.sessionTtlMs });
    });
    return { sessionId, principal: this.userPrincipal(user, idHash) };
  }

  /** Listens for revocations; returns the function that stops listening. */
  onRevocation(fn: (r: Revocation) => void): () => void {
    this.revocationListeners.add(fn);
    return () => { this.revocationListeners.delete(fn); };
  }

  /** The one place a revocation leaves the store (a cluster's other instances learn it through onChange). */
  private publishRevocation(r: Revocation): void {
    for (const fn of this.revocationListeners) fn(r);
  }

  /** Ends every session of `username` except `exceptSessionKey`, and tells live connections to drop them. */
  async revokeSessionsOf(username: string, exceptSessionKey?: string): Promise<void> {
    if (this.state.sessions.some((s) => s.username === username && s.idHash !== exceptSessionKey)) {
      await this.mutate((s) => { s.sessions = s.sessions.filter((x) => x.username !== username || x.idHash === exceptSessionKey); });
    }
    this.publishRevocation({ kind: 'user', username, ...(exceptSessionKey ? { exceptSessionKey } : {}) });
  }

  /** Live, and still with the role and sites it was authorised with (a cluster peer may have changed them). */
  isCurrent(p: Principal): boolean {
    if (!this.isLive(p)) return false;
    if (p.via === 'token') return true;
    const u = this.state.users.find((x) => x.username === p.username);
    return u !== undefined && u.role === p.role && String(u.sites) === String(p.sites);
  }

  /** False once the credential behind a principal no longer authenticates (for long-lived connections). */
  isLive(p: Principal): boolean {
    if (p.via === 'token') {
      const t = this.state.tokens.find((x) => x.id === p.tokenId);
      return t !== undefined && !t.revokedAt && !(t.expiresAt && t.expiresAt <= Date.now());
    }
    const s = this.state.sessions.find((x) => x.idHash === p.sessionKey);
    const u = s && this.state.users.find((x) => x.username === s.username);
    return s !== undefined && s.expiresAt > Date.now() && u !== undefined && !u.disabled;
  }

  /** Single sign-on: the user is found by issuer and subject (created on first login, without a password);
   *  role and sites follow the identity provider at every login. A local user of the same name is never taken
   *  over. */
  async loginExternal(id: ExternalIdentity): Promise<{ sessionId: string; principal: Principal }> {
    const user = await this.mutate((s) => {
      let u = s.users.find((x) => x.oidc?.issuer === id.issuer && x.oidc.subject === id.subject);
      if (!u) {
        if (s.users.some((x) => x.username === id.username)) {
          throw new AuthError(409, `the name ${id.username} belongs to another Gantry user`, 'username_taken');
        }
        u = { username: id.username, role: id.role, disabled: false, mustChangePassword: false, createdAt: Date.now(), passwordHash: '', oidc: { issuer: id.issuer, subject: id.subject } };
        s.users.push(u);
      }
      if (u.disabled) throw new AuthError(403, `user ${u.username} is disabled in Gantry`, 'disabled');
      const rescoped = u.role !== id.role || String(u.sites) !== String(id.sites);
      u.role = id.role;
      if (id.sites) u.sites = id.sites; else delete u.sites;
      return { user: u, rescoped };
    });
    // Live connections of this user's other sessions were authorised with the old role or sites.
    if (user.rescoped) this.publishRevocation({ kind: 'user', username: user.user.username });
    return this.startSession(user.user);
  }

  async logout(sessionId: string): Promise<void> {
    const h = sha256(sessionId);
    if (this.state.sessions.some((s) => s.idHash === h)) await this.mutate((s) => { s.sessions = s.sessions.filter((x) => x.idHash !== h); });
    this.publishRevocation({ kind: 'session', sessionKey: h });
  }

  private userPrincipal(u: StoredUser, sessionKey: string): Principal {
    return {
      actor: u.username, username: u.username, role: u.role, via: 'session', sessionKey,
      ...(u.sites ? { sites: u.sites } : {}), ...(u.mustChangePassword ? { mustChangePassword: true } : {}),
    };
  }

  fromSession(sessionId: string): Principal | undefined {
    const h = sha256(sessionId);
    const s = this.state.sessions.find((x) => x.idHash === h);
    if (!s || s.expiresAt <= Date.now()) return undefined;
    const u = this.state.users.find((x) => x.username === s.username);
    return u && !u.disabled ? this.userPrincipal(u, h) : undefined;
  }

  fromBearer(bearer: string): Principal | undefined {
    const m = TOKEN_RE.exec(bearer);
    if (!m) return undefined;
    const t = this.state.tokens.find((x) => x.id === m[1]);
    if (!t || t.revokedAt || (t.expiresAt && t.expiresAt <= Date.now())) return undefined;
    const a = Buffer.from(sha256(m[2] as string));
    if (!timingSafeEqual(a, Buffer.from(t.secretHash))) return undefined;
    t.lastUsedAt = Date.now(); // persisted with the next write; not worth a disk write per request
    return { actor: `token:${t.id}`, username: t.createdBy, role: t.role, via: 'token', scopes: t.scopes, tokenId: t.id, ...(t.sites ? { sites: t.sites } : {}) };
  }

  listUsers(): User[] { return this.state.users.map(publicUser); }

  async createUser(req: CreateUserRequest): Promise<User> {
    const exists = (s: StateFile) => { if (s.users.some((u) => u.username === req.username)) throw new AuthError(409, `user ${req.username} exists`, 'exists'); };
    exists(this.state);
    const u: StoredUser = { username: req.username, role: req.role, disabled: false, mustChangePassword: req.mustChangePassword ?? true, createdAt: Date.now(), passwordHash: await hashPassword(req.password), ...(req.sites ? { sites: req.sites } : {}) };
    await this.mutate((s) => { exists(s); s.users.push(u); });
    return publicUser(u);
  }

  async updateUser(username: string, req: UpdateUserRequest): Promise<User> {
    const passwordHash = req.password ? await hashPassword(req.password) : undefined;
    const u = await this.mutate((s) => {
      const x = s.users.find((y) => y.username === username);
      if (!x) throw new AuthError(404, `user ${username} does not exist`);
      if (req.password && x.oidc) throw new AuthError(409, `${username} signs in through single sign-on and has no Gantry password`, 'external_user');
      if ((req.role && req.role !== 'admin') || req.disabled) assertOtherAdmin(s, username);
      if (passwordHash) { x.passwordHash = passwordHash; x.mustChangePassword = true; }
      if (req.role) x.role = req.role;
      if (req.disabled !== undefined) x.disabled = req.disabled;
      if (req.sites === null) delete x.sites; else if (req.sites) x.sites = req.sites;
      return x;
    });
    if (req.password || req.disabled || req.role) await this.revokeSessionsOf(username);
    // New sites apply to the next HTTP request at once; live sockets were authorised with the old ones.
    else if (req.sites !== undefined) this.publishRevocation({ kind: 'user', username });
    return publicUser(u);
  }

  async deleteUser(username: string): Promise<void> {
    await this.mutate((s) => {
      if (!s.users.some((u) => u.username === username)) throw new AuthError(404, `user ${username} does not exist`);
      assertOtherAdmin(s, username);
      s.users = s.users.filter((u) => u.username !== username);
    });
    await this.revokeSessionsOf(username);
  }

  /** The caller's own change: ends their other sessions, keeps `currentSessionKey` (the one they are using). */
  async changePassword(username: string, current: string, next: string, currentSessionKey: string | undefined): Promise<void> {
    await this.shared.sync();
    const u = this.state.users.find((x) => x.username === username);
    if (u?.oidc) throw new AuthError(409, 'you sign in through single sign-on; your password is managed there', 'external_user');
    if (!u || !(await verifyPassword(current, u.passwordHash))) throw new AuthError(400, 'current password is wrong', 'bad_credentials');
    if (next === current) throw new AuthError(400, 'the new password must differ from the current one', 'same_password');
    const passwordHash = await hashPassword(next);
    await this.mutate((s) => {
      const x = s.users.find((y) => y.username === username);
      if (!x) throw new AuthError(400, 'current password is wrong', 'bad_credentials');
      x.passwordHash = passwordHash;
      x.mustChangePassword = false;
    });
    await this.revokeSessionsOf(username, currentSessionKey);
  }

  listTokens(): ApiToken[] { return this.state.tokens.map(publicToken); }

  async createToken(req: CreateTokenRequest, createdBy: string): Promise<{ token: string; info: ApiToken }> {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const now = Date.now();
    const t: StoredToken = {
      id, name: req.name, role: req.role, scopes: req.scopes, createdBy, createdAt: now, secretHash: sha256(secret),
      ...(req.sites ? { sites: req.sites } : {}), ...(req.expiresInDays ? { expiresAt: now + req.expiresInDays * 86_400_000 } : {}),
    };
    await this.mutate((s) => { s.tokens.push(t); });
    return { token: `gnt_${id}_${secret}`, info: publicToken(t) };
  }

  async revokeToken(id: string): Promise<ApiToken> {
    const t = await this.mutate((s) => {
      const x = s.tokens.find((y) => y.id === id);
      if (!x) throw new AuthError(404, `token ${id} does not exist`);
      x.revokedAt ??= Date.now();
      return x;
    });
    this.publishRevocation({ kind: 'token', tokenId: id });
    return publicToken(t);
  }
}

function assertOtherAdmin(s: StateFile, username: string): void {
  const admins = s.users.filter((u) => u.role === 'admin' && !u.disabled && u.username !== username);
  const isAdmin = s.users.some((u) => u.username === username && u.role === 'admin');
  if (isAdmin && admins.length === 0) throw new AuthError(409, 'the last active admin cannot be removed, disabled or demoted', 'last_admin');
}
