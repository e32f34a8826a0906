// Loads configuration from defaults, an optional YAML file and GANTRY_* environment variables (in that order
// of precedence, lowest first), validates it once and freezes it. This is the only module that reads
// process.env, so what Gantry does is fully described by its config.
import { readFileSync, existsSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import type { TSchema, TObject } from '@sinclair/typebox';
import { parse as parseYaml } from 'yaml';
import { ConfigSchema, type Config } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

/** GANTRY_ variable name for a config path: ['influx', 'batchSize'] -> GANTRY_INFLUX_BATCH_SIZE. */
export function envName(path: readonly string[]): string {
  return `GANTRY_${path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
}

export interface ConfigKey { path: string[]; schema: TSchema }

/** Every leaf key of the schema, in declaration order. */
export function configKeys(schema: TObject = ConfigSchema, prefix: string[] = []): ConfigKey[] {
  const keys: ConfigKey[] = [];
  for (const [name, sub] of Object.entries(schema.properties)) {
    if (sub.type === 'object' && 'properties' in sub) keys.push(...configKeys(sub as TObject, [...prefix, name]));
    else keys.push({ path: [...prefix, name], schema: sub });
  }
  return keys;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (!isRecord(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function coerceEnv(raw: string, schema: TSchema): unknown {
  if (schema.type === 'integer' || schema.type === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (schema.type === 'boolean') return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  // Mappings and lists (auth.oidc.roleMap, pacs.targets) come as JSON, so env-only deployments can set them.
  if (schema.type === 'object' || schema.type === 'array') {
    try { return JSON.parse(raw) as unknown; } catch { return raw; }
  }
  return raw;
}

function describeExpected(schema: TSchema): string {
  if (schema.anyOf) return `one of ${(schema.anyOf as TSchema[]).map((s) => JSON.stringify(s.const)).join(', ')}`;
  const bits = [schema.type as string];
  if (schema.minimum !== undefined) bits.push(`>= ${schema.minimum}`);
  if (schema.maximum !== undefined) bits.push(`<= ${schema.maximum}`);
  if (schema.pattern) bits.push(`matching ${schema.pattern}`);
  return bits.join(' ');
}

export function loadConfig(env: Env = process.env, overrides: Record<string, unknown> = {}): Readonly<Config> {
  const problems: string[] = [];
  const input: Record<string, unknown> = {};
  const file = env.GANTRY_CONFIG_FILE;
  if (file) {
    if (!existsSync(file)) problems.push(`GANTRY_CONFIG_FILE: file "${file}" does not exist`);
    else {
      try {
        const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
        if (parsed != null && !isRecord(parsed)) problems.push(`${file}: must be a YAML mapping of config keys`);
        else Object.assign(input, parsed ?? {});
      } catch (err) {
        problems.push(`${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
      }
    }
  }
  const keys = configKeys();
  const known = new Set(keys.map((k) => envName(k.path)));
  for (const name of Object.keys(env)) {
    if (name.startsWith('GANTRY_') && name !== 'GANTRY_CONFIG_FILE' && !known.has(name)) {
      problems.push(`${name}: unknown setting (see docs/configuration.md for the list)`);
    }
  }
  const rawEnv = new Map<string, string>();
  for (const key of keys) {
    const raw = env[envName(key.path)];
    if (raw === undefined) continue;
    rawEnv.set(key.path.join('/'), raw);
    setPath(input, key.path, coerceEnv(raw, key.schema));
  }
  for (const [path, value] of Object.entries(overrides)) setPath(input, path.split('.'), value);

  problems.push(...unknownKeys(input, ConfigSchema, []));
  const withDefaults = Value.Default(ConfigSchema, Value.Clone(input));
  for (const err of Value.Errors(ConfigSchema, withDefaults)) {
    const path = err.path.split('/').filter(Boolean);
    const key = keys.find((k) => k.path.join('/') === path.join('/'));
    if (key) {
      const raw = rawEnv.get(path.join('/'));
      const got = raw !== undefined ? JSON.stringify(raw) : JSON.stringify(err.value);
      problems.push(`${path.join('.')} (${envName(path)}): got ${got}, expected ${describeExpected(key.schema)}`);
    } else if (!String(err.message).includes('additional')) {
      problems.push(`${path.join('.') || '(top level)'}: ${err.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return deepFreeze(withDefaults as Config);
}

function unknownKeys(input: unknown, schema: TObject, prefix: string[]): string[] {
  if (!isRecord(input)) return [];
  const out: string[] = [];
  for (const [name, value] of Object.entries(input)) {
    const sub = schema.properties[name];
    if (!sub) out.push(`${[...prefix, name].join('.')}: unknown setting (see docs/configuration.md)`);
    else if (sub.type === 'object' && 'properties' in sub) out.push(...unknownKeys(value, sub as TObject, [...prefix, name]));
  }
  return out;
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (isRecord(value)) for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
