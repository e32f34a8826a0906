// Lint rules that guard the architecture: no `any`, nothing outside the config module reads process.env,
// imports point one way (contracts and lib at the bottom; collectors and models on top of them; the server
// composes; the web talks to the server only through contracts), and promises are never dropped.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** An import whose path runs through one of these top-level folders (relative or from the repo root). */
const through = (folders, prefix = '(^|/)') => ({
  regex: `${prefix}(${folders.join('|')})/`,
  message: `This layer may not import ${folders.join(', ')} (see docs/architecture.md, "Dependencies").`,
});
const layer = (files, forbidden, prefix) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [through(forbidden, prefix)] }] },
});

/** The import boundaries, exported so test/architecture/boundaries.test.ts can prove they fire. */
export const boundaries = [
  layer(['contracts/**'], ['lib', 'server', 'collectors', 'models', 'web', 'scripts', 'test']),
  layer(['lib/**'], ['server', 'collectors', 'models', 'web', 'scripts', 'test']),
  layer(['collectors/**'], ['server', 'models', 'web', 'scripts', 'test']),
  layer(['models/**'], ['server', 'collectors', 'web', 'scripts', 'test']),
  layer(['server/**'], ['web', 'scripts', 'test', 'e2e']),
  // The web has a src/lib of its own, so only paths that climb out of web/src (two or more `../`) count.
  layer(['web/src/**'], ['lib', 'server', 'collectors', 'models', 'scripts', 'test'], '^(\\.\\./){2,}'),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', 'data/**', 'models/artifacts/**', '**/*.js', '**/*.mjs', 'test/lint-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['web/vite.config.ts'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through server/config only.' }],
      // The type-checked rules that find real bugs here: a dropped promise loses its rejection, and a
      // promise passed where a void callback is expected (an event handler) is never awaited.
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test's test()/describe() return promises the runner itself awaits.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['server/config/**', 'scripts/**', 'test/**', 'e2e/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  ...boundaries,
);
