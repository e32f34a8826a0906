// Which pages each role sees. The server enforces access on every route; this only keeps the navigation
// honest, so nobody is offered a page that would answer 403.
import { AUDIENCE, type Role } from '../../../contracts/auth.js';
import { WEB_ROUTES } from '../../../contracts/web-routes.js';

export interface NavItem { path: string; label: string; roles: readonly Role[] }

export const NAV: readonly NavItem[] = [
  { path: WEB_ROUTES.fleet, label: 'Fleet', roles: AUDIENCE.everyone },
  { path: WEB_ROUTES.alerts, label: 'Alerts', roles: AUDIENCE.responders },
  { path: WEB_ROUTES.pacs, label: 'PACS', roles: AUDIENCE.infrastructure },
  { path: WEB_ROUTES.downtime, label: 'Downtime', roles: AUDIENCE.managers },
];

export function navFor(role: Role): NavItem[] {
  return NAV.filter((n) => n.roles.includes(role));
}
