// Who is calling, after authentication. Routes and socket handlers see only this.
import type { Role, TokenScope } from '../../contracts/index.js';

export interface Principal {
  /** username, or token:<id> for machines */
  actor: string;
  username: string;
  role: Role;
  sites?: string[];
  via: 'session' | 'token';
  /** API tokens only: what the token may do on top of its role */
  scopes?: TokenScope[];
  tokenId?: string;
  /** Sessions only: SHA-256 of the session id (never the id), to revoke this session's live connections. */
  sessionKey?: string;
  mustChangePassword?: boolean;
}

/** True when the principal may see data of `site` (no site list = every site). */
export function canSeeSite(p: Principal, site: string): boolean {
  return !p.sites || p.sites.includes(site);
}
