// The dashboard's page paths, defined once: the web router declares them and the server answers each with
// index.html for deep links (a reload or a shared URL), while every other unknown path keeps the JSON 404.
export const WEB_ROUTES = {
  fleet: '/',
  login: '/login',
  alerts: '/alerts',
  pacs: '/pacs',
  downtime: '/downtime',
  scanner: '/scanners/:scannerId',
} as const;

export type WebRoute = (typeof WEB_ROUTES)[keyof typeof WEB_ROUTES];

/** The path of one scanner's page. */
export const scannerPath = (scannerId: string): string => `/scanners/${encodeURIComponent(scannerId)}`;
