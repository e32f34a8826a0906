// Command-line parsing shared by every script and model CLI: node:util parseArgs, plus `--help` that prints
// the usage and exits 0, and a one-line error (not an ERR_PARSE_ARGS_* stack trace) for an unknown or
// malformed option.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliOption {
  type: 'string' | 'boolean';
  default?: string | boolean;
  short?: string;
  /** One line for the usage text. */
  description: string;
}

export interface CliSpec<O extends Record<string, CliOption>> {
  /** e.g. `npm run eval:nab --` */
  command: string;
  summary: string;
  options: O;
  /** Names of string options that must be given. */
  required?: ReadonlyArray<keyof O & string>;
  /** Accept positional arguments (returned in `positionals`). */
  positionals?: string;
}

type Values<O extends Record<string, CliOption>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K] extends { default: string } ? string : string | undefined;
};

export function usage<O extends Record<string, CliOption>>(spec: CliSpec<O>): string {
  const lines = [`usage: ${spec.command} [options]${spec.positionals ? ` ${spec.positionals}` : ''}`, '', spec.summary, '', 'options:'];
  const entries = Object.entries(spec.options);
  const names = entries.map(([name, o]) => `--${name}${o.type === 'string' ? ' VALUE' : ''}`);
  const width = Math.max(...names.map((n) => n.length), 6) + 2;
  entries.forEach(([name, o], i) => {
    const req = spec.required?.includes(name) ? ' (required)' : '';
    const def = o.default !== undefined && o.default !== false ? ` (default ${String(o.default)})` : '';
    lines.push(`  ${names[i]!.padEnd(width)}${o.description}${req}${def}`);
  });
  lines.push(`  ${'--help'.padEnd(width)}print this help`);
  return lines.join('\n');
}

/** Exits 2 with a short message and a hint, the way a mistyped option should end. */
export function cliFail(spec: { command: string }, message: string): never {
  process.stderr.write(`${message}\nrun ${spec.command} --help for the options\n`);
  process.exit(2);
}

export function parseCli<O extends Record<string, CliOption>>(spec: CliSpec<O>, argv = process.argv.slice(2)): { values: Values<O>; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', default: false } };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type, ...(o.default !== undefined ? { default: o.default } : {}), ...(o.short ? { short: o.short } : {}) } as NonNullable<ParseArgsConfig['options']>[string];
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: spec.positionals !== undefined, strict: true });
  } catch (err) {
    cliFail(spec, (err as Error).message);
  }
  if (parsed.values.help === true) {
    process.stdout.write(`${usage(spec)}\n`);
    process.exit(0);
  }
  for (const name of spec.required ?? []) if (parsed.values[name] === undefined) cliFail(spec, `missing --${name}`);
  return { values: parsed.values as Values<O>, positionals: parsed.positionals };
}

/** A number option, with a clean error instead of NaN propagating. */
export function numberOpt(spec: { command: string }, name: string, text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(n)) cliFail(spec, `--${name} must be a number, got ${String(text)}`);
  return n;
}

/** "1-5,8" -> [1,2,3,4,5,8] */
export function parseRange(spec: { command: string }, name: string, text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*)?$/.exec(part);
    if (!m) cliFail(spec, `--${name}: expected a list like 1-5,8, got ${text}`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}
