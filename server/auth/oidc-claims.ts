// Turns the claims of a validated ID token (plus userinfo) into a Gantry identity: login name, role and
// sites. Pure functions, so the mapping rules are read and tested in one place.
import { createHash } from 'node:crypto';
import { SLUG_RE, USERNAME_RE, type Role } from '../../contracts/index.js';

export interface ClaimSettings {
  usernameClaim: string;
  rolesClaim: string;
  roleMap: Readonly<Record<string, Role>>;
  sitesClaim: string;
}


/** A claim by its exact name first (Microsoft claim names are URLs with dots), else as a dotted path
 *  (Keycloak's realm_access.roles). */
export function claim(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (name in claims) return claims[name];
  let node: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A claim as a list of strings: an array, or a single value (ADFS sends one group as a plain string). */
export function claimValues(claims: Readonly<Record<string, unknown>>, name: string): string[] | undefined {
  const v = claim(claims, name);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/** The first roleMap entry, in configuration order, whose group the user holds; none: the login is refused. */
export function mapRole(claims: Readonly<Record<string, unknown>>, s: ClaimSettings): Role | undefined {
  const held = new Set(claimValues(claims, s.rolesClaim) ?? []);
  for (const [group, role] of Object.entries(s.roleMap)) if (held.has(group)) return role;
  return undefined;
}

/** Site scoping: no sites claim configured = every site; configured but missing = no site (fail closed). */
export function mapSites(claims: Readonly<Record<string, unknown>>, s: ClaimSettings): string[] | undefined {
  if (!s.sitesClaim) return undefined;
  return (claimValues(claims, s.sitesClaim) ?? []).map((v) => v.toLowerCase()).filter((v) => SLUG_RE.test(v));
}

/** A valid Gantry login name from the username claim, else the email, else one derived from the subject. */
export function mapUsername(claims: Readonly<Record<string, unknown>>, s: ClaimSettings, issuer: string, subject: string): string {
  for (const name of [s.usernameClaim, 'email']) {
    const v = claim(claims, name);
    if (typeof v !== 'string') continue;
    // DOMAIN\user (ADFS) and other characters a Gantry name cannot hold become '-'.
    const cleaned = v.toLowerCase().replace(/[^a-z0-9._@-]/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 64);
    if (USERNAME_RE.test(cleaned)) return cleaned;
  }
  return `sso-${createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 16)}`;
}

/** True when any claim the mapping needs is missing, so userinfo should be asked for it. */
export function needsUserinfo(claims: Readonly<Record<string, unknown>>, s: ClaimSettings): boolean {
  return [s.rolesClaim, s.sitesClaim, s.usernameClaim].some((name) => name !== '' && claim(claims, name) === undefined);
}
