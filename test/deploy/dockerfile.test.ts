// docker/Dockerfile without a Docker engine: dockerfile-utils (the linter behind VS Code's Dockerfile
// support) reports nothing, and Gantry's own rules hold: pinned multi-stage build, non-root runtime,
// HEALTHCHECK on /health, production dependencies only, no source maps, every COPY source present, and
// every package the server imports at run time is a production dependency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { validate } from 'dockerfile-utils';

const text = readFileSync('docker/Dockerfile', 'utf8');

interface Instruction { keyword: string; args: string; line: number }
interface Stage { image: string; name: string; instructions: Instruction[] }

/** Instructions with continuation lines joined and comments dropped. */
function instructions(src: string): Instruction[] {
  const out: Instruction[] = [];
  let buf = '';
  let start = 0;
  src.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (buf === '' && (line === '' || line.startsWith('#'))) return;
    if (buf === '') start = i + 1;
    buf += (buf ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) return;
    const [keyword = '', ...rest] = buf.split(/\s+/);
    out.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: start });
    buf = '';
  });
  return out;
}

function stages(list: Instruction[]): Stage[] {
  const out: Stage[] = [];
  for (const ins of list) {
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      assert.ok(m, `FROM on line ${ins.line}`);
      out.push({ image: m[1] as string, name: m[2] ?? '', instructions: [] });
    } else out[out.length - 1]?.instructions.push(ins);
  }
  return out;
}

const all = instructions(text);
const built = stages(all);
const runtime = built[built.length - 1] as Stage;
const ofKind = (s: Stage, k: string) => s.instructions.filter((i) => i.keyword === k);

test('dockerfile-utils finds no problem', () => {
  assert.deepEqual(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
  // ...and does find one in a broken file, so its silence means something.
  assert.ok(validate('FROM node:20\nCMD ["a"]\nCMD ["b"]\nEXPOSE port\n').length > 0);
});

test('multi-stage, every base image pinned to an exact version, none "latest"', () => {
  assert.ok(built.length >= 2, 'a build stage and a runtime stage');
  for (const s of built) {
    assert.match(s.image, /^[a-z0-9./_-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[a-f0-9]{64})?$/, `${s.image} pinned to major.minor.patch`);
    assert.doesNotMatch(s.image, /latest/);
  }
  assert.equal(new Set(built.map((s) => s.image)).size, 1, 'build and runtime on the same Node.js release');
});

test('the runtime stage runs as a non-root user with a HEALTHCHECK on /health and an exec-form CMD', () => {
  const users = ofKind(runtime, 'USER');
  assert.equal(users.length, 1);
  assert.doesNotMatch(users[0]?.args ?? '', /^(root|0)(:|$)/);
  const idx = (k: string) => runtime.instructions.findIndex((i) => i.keyword === k);
  assert.ok(idx('USER') < idx('CMD') && idx('USER') < idx('HEALTHCHECK'), 'USER comes before what runs');
  const hc = ofKind(runtime, 'HEALTHCHECK');
  assert.equal(hc.length, 1);
  assert.match(hc[0]?.args ?? '', /\/health/);
  const cmd = JSON.parse(ofKind(runtime, 'CMD')[0]?.args ?? 'null') as string[];
  assert.deepEqual(cmd, ['node', '--import', 'tsx', 'server/main.ts']);
  assert.equal(ofKind(runtime, 'ENTRYPOINT').length, 0);
});

test('the runtime stage installs production dependencies only and carries no source maps', () => {
  const runs = ofKind(runtime, 'RUN').map((r) => r.args);
  const installs = runs.filter((r) => /npm (ci|install)/.test(r));
  assert.equal(installs.length, 1);
  assert.match(installs[0] as string, /npm ci --omit=dev/);
  assert.ok(runs.some((r) => /find node_modules -name '\*\.map' -delete/.test(r)), 'dependency source maps removed');
  const fromBuild = ofKind(runtime, 'COPY').filter((c) => c.args.startsWith('--from='));
  assert.deepEqual(fromBuild.map((c) => c.args), ['--from=build /app/web/dist ./web/dist'], 'only the built dashboard comes from the build stage');
  const build = built[0] as Stage;
  assert.ok(ofKind(build, 'RUN').some((r) => /vite build --config web\/vite\.config\.ts/.test(r.args) && /find web\/dist -name '\*\.map' -delete/.test(r.args)));
  assert.match(readFileSync('web/vite.config.ts', 'utf8'), /sourcemap:\s*false/);
  assert.ok(!ofKind(runtime, 'COPY').some((c) => /^web\b|\sweb\s/.test(c.args) && !c.args.startsWith('--from')), 'no web sources in the runtime stage');
});

test('every COPY source exists in the repository, and the ignore file keeps secrets and data out', () => {
  for (const s of built) {
    for (const c of ofKind(s, 'COPY').filter((i) => !i.args.startsWith('--from'))) {
      const parts = c.args.split(/\s+/);
      for (const src of parts.slice(0, -1)) assert.ok(existsSync(src), `COPY ${src} (line ${c.line})`);
    }
  }
  const ignore = readFileSync('docker/Dockerfile.dockerignore', 'utf8').split('\n');
  for (const p of ['**/node_modules', '**/data', 'docker/.env', '.git']) assert.ok(ignore.includes(p), `${p} ignored`);
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every package the image runs is a production dependency (tsx included)', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const copied = ofKind(runtime, 'COPY').filter((c) => !c.args.startsWith('--from')).map((c) => c.args.split(/\s+/)[0] as string).filter((p) => statSync(p).isDirectory());
  assert.deepEqual([...copied].sort(), ['collectors', 'contracts', 'lib', 'models', 'server']);
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const used = new Map<string, string>();
  for (const file of copied.flatMap(sourceFiles)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\()\s*'([^'.][^']*)'/g)) {
      const spec = m[1] as string;
      if (builtins.has(spec) || builtins.has(spec.split('/')[0] as string)) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string);
      used.set(name, file);
    }
  }
  assert.ok(used.size >= 10, 'the scan found the server\'s packages');
  used.set('tsx', 'Dockerfile CMD');
  const missing = [...used].filter(([name]) => !(name in pkg.dependencies)).map(([n, f]) => `${n} (${f})`);
  assert.deepEqual(missing, [], 'imported at run time but not in dependencies');
});

test('runtime code imports nothing outside the folders the image copies', () => {
  const copied = ['collectors', 'contracts', 'lib', 'models', 'server'];
  const outside: string[] = [];
  for (const file of copied.flatMap(sourceFiles)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']*)'/g)) {
      const target = join(dirname(file), m[1] as string);
      if (!copied.some((c) => target === c || target.startsWith(`${c}/`))) outside.push(`${file} -> ${m[1]}`);
    }
  }
  assert.deepEqual(outside, []);
  // The web build reads only web/ and contracts/, the two folders the build stage copies.
  for (const file of sourceFiles('web/src')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/from\s+'(\.{1,2}\/[^']*)'/g)) {
      const target = join(dirname(file), m[1] as string);
      assert.ok(target.startsWith('web/') || target.startsWith('contracts/'), `${file} -> ${m[1]}`);
    }
  }
});
