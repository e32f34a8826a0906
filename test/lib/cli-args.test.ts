import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { usage, parseRange } from '../../lib/cli-args.js';

test('usage lists every option with defaults and required marks', () => {
  const text = usage({ command: 'npm run x --', summary: 'Does x.', options: { data: { type: 'string', description: 'input' }, n: { type: 'string', default: '3', description: 'count' } }, required: ['data'] });
  assert.match(text, /--data VALUE\s+input \(required\)/);
  assert.match(text, /--n VALUE\s+count \(default 3\)/);
  assert.match(text, /--help/);
  assert.deepEqual(parseRange({ command: 'x' }, 'seeds', '1-3,7'), [1, 2, 3, 7]);
});

test('a CLI answers --help with exit 0 and a mistyped option with one line and exit 2, no stack trace', () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'models/src/cli/eval-nab.ts', ...args], { encoding: 'utf8' });
  const help = run(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /usage: npm run eval:nab/);
  const bad = run(['--labls', 'x']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /Unknown option '--labls'/);
  assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/);
});
