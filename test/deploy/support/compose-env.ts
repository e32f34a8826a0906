// The two pieces of Compose behaviour the deployment tests need without a Docker engine: reading an .env
// file and interpolating ${VAR} expressions (the Compose Specification's "Interpolation" section).

/** KEY=VALUE lines of an .env file; comments and blank lines skipped, surrounding quotes removed. */
export function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`not a KEY=VALUE line: ${line}`);
    vars.set(m[1] as string, (m[2] as string).replace(/^(["'])(.*)\1$/, '$2'));
  }
  return vars;
}

const EXPR = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Names of every variable a text refers to ($$ is a literal dollar, not a reference). */
export function referencedVariables(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(EXPR)) {
    const name = m[1] ?? m[4];
    if (name) names.add(name);
  }
  return names;
}

/** Interpolates one string as Compose does; a failed ${VAR:?msg} / ${VAR?msg} throws with its message. */
export function interpolate(value: string, env: ReadonlyMap<string, string>): string {
  return value.replace(EXPR, (whole, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare) as string;
    const v = env.get(name);
    const unsetOrEmpty = v === undefined || v === '';
    switch (op) {
      case ':-': return unsetOrEmpty ? (arg ?? '') : v;
      case '-': return v === undefined ? (arg ?? '') : v;
      case ':?': if (unsetOrEmpty) throw new Error(`${name}: ${arg}`); return v;
      case '?': if (v === undefined) throw new Error(`${name}: ${arg}`); return v;
      default: return v ?? '';
    }
  });
}

/** Interpolates every string in a parsed YAML document. */
export function interpolateDeep(node: unknown, env: ReadonlyMap<string, string>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((n) => interpolateDeep(n, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, env)]));
  }
  return node;
}
