// Loads alert rules, channels and routes from YAML files, validates every rule on its own (an error names
// the file, the rule and the field, and only that rule is skipped), adds the catalog defaults, and reloads
// when a file changes. Rules edited through the API live in their own file, which wins over the folder.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  RULE_SCHEMAS, RulesFile, type AlertRule, type Channel, type Route,
} from '../../contracts/alert-rules.js';
import { MODALITIES } from '../../contracts/common.js';
import type { Logger } from '../../lib/logger.js';
import { catalogRules } from './catalog-rules.js';

export interface LoadedRule { rule: AlertRule; source: string }
export interface RuleSet {
  rules: LoadedRule[];
  channels: Channel[];
  routes: Route[];
  labels: Record<string, Record<string, string>>;
  errors: string[];
}

export interface RulesLoaderOptions { rulesDir: string; editableFile: string; catalogDefaults: boolean; catalogForMs: number }

/** Validates one rule; returns the rule or a message naming the field. */
export function validateRule(raw: unknown, where: string): AlertRule | string {
  const rec = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const name = typeof rec.id === 'string' ? `rule "${rec.id}"` : 'rule without id';
  const kind = rec.kind;
  if (typeof kind !== 'string' || !(kind in RULE_SCHEMAS)) {
    return `${where}: ${name}: field "kind": must be one of ${Object.keys(RULE_SCHEMAS).join(', ')} (got ${JSON.stringify(kind)})`;
  }
  const schema = RULE_SCHEMAS[kind as keyof typeof RULE_SCHEMAS];
  const first = Value.Errors(schema, raw).First();
  if (first) {
    const field = first.path.replace(/^\//, '').replace(/\//g, '.') || '(rule)';
    return `${where}: ${name}: field "${field}": ${first.message}${first.value !== undefined ? ` (got ${JSON.stringify(first.value)})` : ''}`;
  }
  const rule = raw as AlertRule;
  if ('op' in rule) {
    if (rule.warning === undefined && rule.critical === undefined) return `${where}: ${name}: field "warning": a warning or critical level is required`;
    const first = (rule.warning ?? rule.critical) as number;
    if (rule.recover !== undefined && (rule.op === 'below' ? rule.recover < first : rule.recover > first)) {
      return `${where}: ${name}: field "recover": must be on the normal side of ${first} (op ${rule.op})`;
    }
  }
  if (rule.kind === 'anomaly' && rule.n > rule.m) return `${where}: ${name}: field "n": must not exceed m (${rule.m})`;
  return rule;
}

interface FileContent { rules: LoadedRule[]; channels: Channel[]; routes: Route[]; labels: Record<string, Record<string, string>>; errors: string[] }

function parseFile(path: string, label: string): FileContent | string {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (err) {
    return `${label}: not valid YAML (${(err as Error).message.split('\n')[0]})`;
  }
  const first = Value.Errors(RulesFile, doc).First();
  if (first) return `${label}: field "${first.path.replace(/^\//, '').replace(/\//g, '.')}": ${first.message}`;
  const file = doc as RulesFile;
  const out: FileContent = { rules: [], channels: file.channels ?? [], routes: file.routes ?? [], labels: file.labels ?? {}, errors: [] };
  for (const raw of file.rules ?? []) {
    const r = validateRule(raw, label);
    if (typeof r === 'string') out.errors.push(r);
    else out.rules.push({ rule: r, source: label });
  }
  return out;
}

export class RulesLoader {
  private readonly lastGood = new Map<string, FileContent>();
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  current: RuleSet = { rules: [], channels: [], routes: [], labels: {}, errors: [] };

  constructor(private readonly opts: RulesLoaderOptions, private readonly log: Logger, private readonly onChange: (set: RuleSet) => void) {}

  load(): RuleSet {
    const errors: string[] = [];
    const files: [string, string][] = [];
    const dir = resolve(this.opts.rulesDir);
    if (existsSync(dir)) {
      for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) files.push([join(dir, f), `${this.opts.rulesDir}/${f}`]);
    } else if (this.opts.rulesDir) errors.push(`${this.opts.rulesDir}: rules folder does not exist`);
    const editable = resolve(this.opts.editableFile);
    if (existsSync(editable)) files.push([editable, 'api']);
    const byId = new Map<string, LoadedRule>();
    if (this.opts.catalogDefaults) for (const rule of catalogRules(this.opts.catalogForMs)) byId.set(rule.id, { rule, source: 'catalog' });
    const set: RuleSet = { rules: [], channels: [], routes: [], labels: {}, errors };
    for (const [path, label] of files) {
      let content = parseFile(path, label);
      if (typeof content === 'string') {
        errors.push(content);
        const prev = this.lastGood.get(path);
        if (!prev) continue;
        content = prev;
      } else this.lastGood.set(path, content);
      errors.push(...content.errors);
      for (const r of content.rules) byId.set(r.rule.id, r);
      set.channels.push(...content.channels);
      set.routes.push(...content.routes);
      Object.assign(set.labels, content.labels);
    }
    // An explicit fleet-wide threshold rule for a modality's metric and side replaces the catalog default.
    for (const { rule } of byId.values()) {
      if (rule.kind !== 'threshold' || rule.id.startsWith('catalog.') || rule.scope?.scannerId || rule.scope?.site || rule.scope?.labels) continue;
      const side = rule.op === 'below' ? 'low' : 'high';
      for (const modality of rule.scope?.modality ?? MODALITIES) {
        const id = `catalog.${modality}.${rule.metric}.${side}`;
        if (byId.get(id)?.source === 'catalog') byId.delete(id);
      }
    }
    set.rules = [...byId.values()];
    const channelIds = new Set(set.channels.map((c) => c.id));
    const routeIds = new Set(set.routes.map((r) => r.id));
    for (const route of set.routes) {
      for (const c of route.channels) if (!channelIds.has(c)) errors.push(`route "${route.id}": field "channels": unknown channel "${c}"`);
      if (route.escalateTo && !routeIds.has(route.escalateTo)) errors.push(`route "${route.id}": field "escalateTo": unknown route "${route.escalateTo}"`);
    }
    for (const e of errors) this.log.error({ problem: e }, 'alert rules problem');
    this.current = set;
    return set;
  }

  /** Watches the folder and the editable file; a burst of changes reloads once. */
  watch(): void {
    const reload = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => { this.onChange(this.load()); }, 100);
    };
    for (const dir of new Set([resolve(this.opts.rulesDir), dirname(resolve(this.opts.editableFile))])) {
      if (!existsSync(dir)) continue;
      try {
        this.watchers.push(watch(dir, (_e, name) => { if (name && /\.ya?ml$/.test(String(name))) reload(); }));
      } catch (err) { this.log.warn({ err, dir }, 'cannot watch rules folder; hot reload off'); }
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  /** Adds or replaces a rule in the editable file (validated first), then reloads. */
  upsert(raw: unknown): AlertRule | string {
    const r = validateRule(raw, 'api');
    if (typeof r === 'string') return r;
    const path = resolve(this.opts.editableFile);
    let doc: RulesFile = {};
    if (existsSync(path)) doc = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as RulesFile;
    const rules = (doc.rules ?? []).filter((x) => (x as { id?: unknown }).id !== r.id);
    rules.push(r);
    mkdirSync(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.${basename(path)}.tmp`);
    writeFileSync(tmp, stringifyYaml({ ...doc, rules }));
    renameSync(tmp, path);
    this.onChange(this.load());
    return r;
  }
}
