// Users, API tokens and sessions, kept in one JSON state file under dataDir (hashes only: scrypt for
// passwords, SHA-256 for high-entropy token and session secrets). A file rather than InfluxDB because these
// are a few hundred records that must be read on every request and survive InfluxDB being down.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { Type, type Static } from '@sinclair/typebox';
import { ApiToken, User, type CreateTokenRequest, type Role, type CreateUserRequest, type UpdateUserRequest } from '../../contracts/index.js';
import { AtomicFile, readJsonFile } from '../../lib/atomic-file.js';
import { HttpError as AuthError } from '../lib/http-error.js';
import { burnVerify, hashPassword, randomSecret, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { LoginLockout } from './lockout.js';

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
const StateFile = Type.Object({ users: Type.Array(StoredUser), tokens: Type.Array(StoredToken), sessions: Type.Array(StoredSession) });
type StateFile = Static<typeof StateFile>;

/** Auth failures are HTTP errors with the status the API answers. */
export { HttpError as AuthError } from '../lib/http-error.js';

export interface AuthStoreOptions { file: string; sessionTtlMs: number; maxAttempts: number; lockoutMs: number }

/**
 * What stopped being valid, for holders of live connections (Socket.IO) to drop them at once. `user` means
 * every session of that user (except `exceptSessionKey`) must re-authenticate: the user was deleted,
 * disabled, demoted, re-scoped or changed their password.
 */
export type Revocation =
  | { kind: 'session'; sessionKey: string }
  | { kind: 'user'; username: string; exceptSessionKey?: string }
  | { kind: 'token'; tokenId: string };

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
  private state: StateFile = { users: [], tokens: [], sessions: [] };
  private readonly file: AtomicFile;
  private readonly lockout: LoginLockout;
  private readonly revocationListeners = new Set<(r: Revocation) => void>();

  constructor(private readonly opts: AuthStoreOptions) {
    this.file = new AtomicFile(opts.file);
    this.lockout = new LoginLockout({ maxAttempts: opts.maxAttempts, lockoutMs: opts.lockoutMs });
    const raw = readJsonFile(opts.file);
    if (raw !== undefined) {
      if (!Value.Check(StateFile, raw)) throw new Error(`${opts.file} is not a valid Gantry auth state file`);
      this.state = raw;
    }
    const now = Date.now();
    this.state.sessions = this.state.sessions.filter((s) => s.expiresAt > now);
  }

  private save(): Promise<void> {
    return this.file.write(JSON.stringify(this.state, null, 1));
  }

  /** First start: creates `admin` with the given password or a random one, which is returned once. */
  async ensureInitialAdmin(configured: string): Promise<{ username: string; password: string; generated: boolean } | undefined> {
    if (this.state.users.length > 0) return undefined;
    const password = configured || randomSecret();
    this.state.users.push({
      username: 'admin', role: 'admin', disabled: false, mustChangePassword: !configured, createdAt: Date.now(),
      passwordHash: await hashPassword(password),
    });
    await this.save();
    return { username: 'admin', password, generated: !configured };
  }

  /**
   * Checks a password, with lock-out after repeated failures of this username from this client address
   * (see lockout.ts). The error never says which part was wrong.
   */
  async login(username: string, password: string, address: string): Promise<{ sessionId: string; principal: Principal }> {
    if (this.lockout.locked(username, address)) throw new AuthError(429, 'too many failed logins; try again later', 'locked_out');
    const user = this.state.users.find((u) => u.username === username);
    const ok = user && !user.oidc ? await verifyPassword(password, user.passwordHash) : (await burnVerify(password), false);
    if (!ok || !user || user.disabled) {
      this.lockout.failed(username, address);
      throw new AuthError(401, 'wrong username or password', 'bad_credentials');
    }
    this.lockout.succeeded(username, address);
    return this.startSession(user);
  }

  private async startSession(user: StoredUser): Promise<{ sessionId: string; principal: Principal }> {
    const now = Date.now();
    const sessionId = randomBytes(32).toString('base64url');
    const idHash = sha256(sessionId);
    this.state.sessions.push({ idHash, username: user.username, createdAt: now, expiresAt: now + this.opts.sessionTtlMs });
    await this.save();
    return { sessionId, principal: this.userPrincipal(user, idHash) };
  }

  /** Listens for revocations; returns the function that stops listening. */
  onRevocation(fn: (r: Revocation) => void): () => void {
    this.revocationListeners.add(fn);
    return () => { this.revocationListeners.delete(fn); };
  }

  /** The one place a revocation leaves the store, so a shared (multi-instance) store can broadcast it here. */
  private publishRevocation(r: Revocation): void {
    for (const fn of this.revocationListeners) fn(r);
  }

  /** Ends every session of `username` except `exceptSessionKey`, and tells live connections to drop them. */
  async revokeSessionsOf(username: string, exceptSessionKey?: string): Promise<void> {
    const before = this.state.sessions.length;
    this.state.sessions = this.state.sessions.filter((s) => s.username !== username || s.idHash === exceptSessionKey);
    if (this.state.sessions.length !== before) await this.save();
    this.publishRevocation({ kind: 'user', username, ...(exceptSessionKey ? { exceptSessionKey } : {}) });
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
    let user = this.state.users.find((u) => u.oidc?.issuer === id.issuer && u.oidc.subject === id.subject);
    if (!user) {
      if (this.state.users.some((u) => u.username === id.username)) {
        throw new AuthError(409, `the name ${id.username} belongs to another Gantry user`, 'username_taken');
      }
      user = { username: id.username, role: id.role, disabled: false, mustChangePassword: false, createdAt: Date.now(), passwordHash: '', oidc: { issuer: id.issuer, subject: id.subject } };
      this.state.users.push(user);
    }
    if (user.disabled) throw new AuthError(403, `user ${user.username} is disabled in Gantry`, 'disabled');
    const rescoped = user.role !== id.role || String(user.sites) !== String(id.sites);
    user.role = id.role;
    if (id.sites) user.sites = id.sites; else delete user.sites;
    // Live connections of this user's other sessions were authorised with the old role or sites.
    if (rescoped) this.publishRevocation({ kind: 'user', username: user.username });
    return this.startSession(user);
  }

  async logout(sessionId: string): Promise<void> {
    const h = sha256(sessionId);
    const before = this.state.sessions.length;
    this.state.sessions = this.state.sessions.filter((s) => s.idHash !== h);
    if (this.state.sessions.length !== before) await this.save();
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
    if (this.state.users.some((u) => u.username === req.username)) throw new AuthError(409, `user ${req.username} exists`, 'exists');
    const u: StoredUser = { username: req.username, role: req.role, disabled: false, mustChangePassword: req.mustChangePassword ?? true, createdAt: Date.now(), passwordHash: await hashPassword(req.password), ...(req.sites ? { sites: req.sites } : {}) };
    this.state.users.push(u);
    await this.save();
    return publicUser(u);
  }

  async updateUser(username: string, req: UpdateUserRequest): Promise<User> {
    const u = this.state.users.find((x) => x.username === username);
    if (!u) throw new AuthError(404, `user ${username} does not exist`);
    if (req.password && u.oidc) throw new AuthError(409, `${username} signs in through single sign-on and has no Gantry password`, 'external_user');
    if ((req.role && req.role !== 'admin') || req.disabled) this.assertOtherAdmin(username);
    if (req.password) { u.passwordHash = await hashPassword(req.password); u.mustChangePassword = true; }
    if (req.role) u.role = req.role;
    if (req.disabled !== undefined) u.disabled = req.disabled;
    if (req.sites === null) delete u.sites; else if (req.sites) u.sites = req.sites;
    await this.save();
    if (req.password || req.disabled || req.role) await this.revokeSessionsOf(username);
    // New sites apply to the next HTTP request at once; live sockets were authorised with the old ones.
    else if (req.sites !== undefined) this.publishRevocation({ kind: 'user', username });
    return publicUser(u);
  }

  async deleteUser(username: string): Promise<void> {
    if (!this.state.users.some((u) => u.username === username)) throw new AuthError(404, `user ${username} does not exist`);
    this.assertOtherAdmin(username);
    this.state.users = this.state.users.filter((u) => u.username !== username);
    await this.save();
    await this.revokeSessionsOf(username);
  }

  private assertOtherAdmin(username: string): void {
    const admins = this.state.users.filter((u) => u.role === 'admin' && !u.disabled && u.username !== username);
    const isAdmin = this.state.users.some((u) => u.username === username && u.role === 'admin');
    if (isAdmin && admins.length === 0) throw new AuthError(409, 'the last active admin cannot be removed, disabled or demoted', 'last_admin');
  }

  /** The caller's own change: ends their other sessions, keeps `currentSessionKey` (the one they are using). */
  async changePassword(username: string, current: string, next: string, currentSessionKey: string | undefined): Promise<void> {
    const u = this.state.users.find((x) => x.username === username);
    if (u?.oidc) throw new AuthError(409, 'you sign in through single sign-on; your password is managed there', 'external_user');
    if (!u || !(await verifyPassword(current, u.passwordHash))) throw new AuthError(400, 'current password is wrong', 'bad_credentials');
    if (next === current) throw new AuthError(400, 'the new password must differ from the current one', 'same_password');
    u.passwordHash = await hashPassword(next);
    u.mustChangePassword = false;
    await this.save();
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
    this.state.tokens.push(t);
    await this.save();
    return { token: `gnt_${id}_${secret}`, info: publicToken(t) };
  }

  async revokeToken(id: string): Promise<ApiToken> {
    const t = this.state.tokens.find((x) => x.id === id);
    if (!t) throw new AuthError(404, `token ${id} does not exist`);
    t.revokedAt ??= Date.now();
    await this.save();
    this.publishRevocation({ kind: 'token', tokenId: id });
    return publicToken(t);
  }
}
