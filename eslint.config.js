// Lint rules that guard the architecture: no `any`, and nothing outside the config module reads process.env.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', 'data/**', 'models/artifacts/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through server/config only.' }],
    },
  },
  {
    files: ['server/config/**', 'scripts/**', 'test/**', 'e2e/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
