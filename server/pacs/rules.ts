// Default PACS rules are data (contracts/pacs-rules.json); config.pacs.ruleOverrides adjusts a threshold,
// a hold time or switches a rule off. The alert engine consumes the merged list; this module only loads,
// validates and merges it.
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { PacsRuleCatalog, type PacsRule } from '../../contracts/pacs.js';
import type { Config } from '../config/schema.js';

const CATALOG_URL = new URL('../../contracts/pacs-rules.json', import.meta.url);

export function loadPacsRuleCatalog(): PacsRule[] {
  const raw: unknown = JSON.parse(readFileSync(CATALOG_URL, 'utf8'));
  if (!Value.Check(PacsRuleCatalog, raw)) {
    const e = Value.Errors(PacsRuleCatalog, raw).First();
    throw new Error(`contracts/pacs-rules.json is invalid at ${e?.path ?? '/'}: ${e?.message ?? 'unknown'}`);
  }
  return raw.rules;
}

/** The catalog with config overrides applied; an override naming an unknown rule is an error. */
export function pacsRules(overrides: Config['pacs']['ruleOverrides'], catalog = loadPacsRuleCatalog()): PacsRule[] {
  const ids = new Set(catalog.map((r) => r.id));
  const unknown = Object.keys(overrides).filter((id) => !ids.has(id));
  if (unknown.length > 0) throw new Error(`pacs.ruleOverrides names unknown rules: ${unknown.join(', ')} (known: ${[...ids].join(', ')})`);
  return catalog.map((r) => {
    const o = overrides[r.id];
    return o ? { ...r, ...(o.threshold !== undefined ? { threshold: o.threshold } : {}), ...(o.enabled !== undefined ? { enabled: o.enabled } : {}), ...(o.forSeconds !== undefined ? { forSeconds: o.forSeconds } : {}) } : r;
  });
}
