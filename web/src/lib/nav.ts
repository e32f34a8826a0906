// Which pages each role sees. The server enforces access on every route; this only keeps the navigation
// honest, so nobody is offered a page that would answer 403.
import type { Role } from '../../../contracts/auth.js';

export interface NavItem { path: string; label: string; roles: readonly Role[] }

export const NAV: readonly NavItem[] = [
  { path: '/', label: 'Fleet', roles: ['admin', 'biomed', 'it', 'manager', 'viewer'] },
  { path: '/alerts', label: 'Alerts', roles: ['admin', 'biomed', 'it'] },
  { path: '/pacs', label: 'PACS', roles: ['admin', 'it'] },
  { path: '/downtime', label: 'Downtime', roles: ['admin', 'manager'] },
];

export function navFor(role: Role): NavItem[] {
  return NAV.filter((n) => n.roles.includes(role));
}
