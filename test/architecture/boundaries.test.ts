// The lint rule that keeps dependencies one way must actually fire: each row lints a one-line file placed
// (virtually) in a layer and checks whether ESLint refuses its import. Uses the same `boundaries` config
// objects the project's eslint.config.js applies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
// @ts-expect-error -- eslint.config.js is plain JavaScript without type declarations
import { boundaries } from '../../eslint.config.js';

const cases: Array<[file: string, spec: string, refused: boolean]> = [
  ['collectors/pacs/x.ts', '../../server/lib/http-error.js', true],
  ['collectors/simulator/x.ts', '../../models/src/backend.js', true],
  ['collectors/pacs/x.ts', '../../lib/logger.js', false],
  ['collectors/pacs/x.ts', '../../contracts/pacs.js', false],
  ['models/src/core/x.ts', '../../../server/lib/ts-worker.js', true],
  ['models/src/fleet/x.ts', '../../../collectors/simulator/fleet.js', true],
  ['models/src/core/x.ts', '../../../lib/random.js', false],
  ['lib/x.ts', '../server/app.js', true],
  ['contracts/x.ts', '../lib/logger.js', true],
  ['server/alerts/x.ts', '../../web/src/app.js', true],
  ['server/alerts/x.ts', '../../lib/event-bus.js', false],
  ['web/src/pages/x.tsx', '../../../server/config/schema.js', true],
  ['web/src/pages/x.tsx', '../../../lib/logger.js', true],
  ['web/src/pages/x.tsx', '../lib/format.js', false],
  ['web/src/pages/x.tsx', '../../../contracts/index.js', false],
];

test('the import-boundary lint rule refuses every upward or sideways import and allows the rest', async () => {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } }, ...(boundaries as Linter.Config[])],
  });
  for (const [file, spec, refused] of cases) {
    const [res] = await eslint.lintText(`import { x } from '${spec}';\nexport const y = x;\n`, { filePath: file });
    const hits = res?.messages.filter((m) => m.ruleId === 'no-restricted-imports') ?? [];
    assert.equal(hits.length > 0, refused, `${file} importing ${spec} should be ${refused ? 'refused' : 'allowed'}`);
  }
});
