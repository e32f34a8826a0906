// What Grafana's InfluxDB (InfluxQL) datasource does to a dashboard query before sending it, for the
// variables Gantry's dashboards use: $timeFilter, $__interval / $interval, and query variables, where a
// multi-value or "All" selection in a /^$var$/ regex becomes (a|b|c) with regex-escaped values.

export interface DashboardTarget { refId: string; query?: string; rawQuery?: boolean }
export interface DashboardPanel { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; datasource?: { uid?: string }; targets?: DashboardTarget[]; panels?: DashboardPanel[] }
export interface DashboardVariable { name: string; type: string; query?: string; multi?: boolean; includeAll?: boolean; datasource?: { uid?: string } }
export interface Dashboard { uid: string; title: string; tags: string[]; panels: DashboardPanel[]; templating: { list: DashboardVariable[] } }

export interface RenderContext {
  fromMs: number;
  toMs: number;
  interval: string;
  /** Values per variable; several values render as a regex alternation. */
  values: ReadonlyMap<string, readonly string[]>;
}

function regexEscape(v: string): string {
  return v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

export function renderQuery(query: string, ctx: RenderContext): string {
  let q = query
    .replaceAll('$timeFilter', `time >= ${ctx.fromMs}ms and time <= ${ctx.toMs}ms`)
    .replaceAll('$__interval_ms', String(intervalMs(ctx.interval)))
    .replaceAll('$__interval', ctx.interval)
    .replaceAll('$interval', ctx.interval);
  // Longest names first, so $site never eats the start of a longer variable name.
  const names = [...ctx.values.keys()].sort((a, b) => b.length - a.length);
  for (const name of names) {
    const vals = ctx.values.get(name) ?? [];
    const rendered = vals.length === 1 ? regexEscape(vals[0] as string) : `(${vals.map(regexEscape).join('|')})`;
    q = q.replace(new RegExp(`\\$\\{${name}\\}|\\$${name}(?![A-Za-z0-9_])`, 'g'), () => rendered);
  }
  return q;
}

function intervalMs(interval: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(interval);
  if (!m) throw new Error(`bad interval ${interval}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

/** Every panel with targets, rows' nested panels included. */
export function allPanels(panels: readonly DashboardPanel[]): DashboardPanel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]).filter((p) => (p.targets ?? []).length > 0);
}

/** Variable names a query refers to (Grafana's built-ins excluded). */
export function variablesIn(query: string): string[] {
  return [...query.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string)
    .filter((n) => !['timeFilter', '__interval', '__interval_ms', 'interval', 'tag_scanner', 'tag_site', 'tag_pacs', 'tag_probe', 'tag_tier'].includes(n));
}
