import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config/load.js';
import { renderConfigDocs } from '../../scripts/config-docs.js';
import { readFileSync } from 'node:fs';
import { tempDir } from '../support/platform.js';

test('defaults are valid and the result is frozen', () => {
  const c = loadConfig({});
  assert.equal(c.http.host, '127.0.0.1');
  assert.equal(c.mqtt.embeddedPort, 1883);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.influx));
});

test('environment overrides YAML which overrides defaults', () => {
  const file = join(tempDir('cfg'), 'gantry.yaml');
  writeFileSync(file, 'http:\n  port: 9000\ninflux:\n  database: fleet\n');
  const c = loadConfig({ GANTRY_CONFIG_FILE: file, GANTRY_HTTP_PORT: '9100' });
  assert.equal(c.http.port, 9100);
  assert.equal(c.influx.database, 'fleet');
});

test('one error names every bad key, where it came from and what is expected', () => {
  const file = join(tempDir('cfg'), 'gantry.yaml');
  writeFileSync(file, 'influx:\n  batchSize: -1\n  colour: blue\n');
  assert.throws(() => loadConfig({ GANTRY_CONFIG_FILE: file, GANTRY_HTTP_PORT: 'eighty', GANTRY_LOG_LEVEL: 'loud', GANTRY_TYPO: '1' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    const msg = err.message;
    for (const expected of ['http.port (GANTRY_HTTP_PORT): got "eighty", expected integer', 'log.level', 'influx.batchSize', 'influx.colour', 'GANTRY_TYPO: unknown setting']) {
      assert.ok(msg.includes(expected), `message lacks "${expected}":\n${msg}`);
    }
    assert.equal(err.problems.length, 5);
    return true;
  });
});

test('mapping and list settings can come from the environment as JSON', () => {
  const c = loadConfig({ GANTRY_AUTH_OIDC_ROLE_MAP: '{"gantry-admins":"admin","radiology":"viewer"}' });
  assert.deepEqual(c.auth.oidc.roleMap, { 'gantry-admins': 'admin', radiology: 'viewer' });
  assert.throws(() => loadConfig({ GANTRY_AUTH_OIDC_ROLE_MAP: '{"g":"superuser"}' }), /auth\.oidc\.roleMap/);
  assert.throws(() => loadConfig({ GANTRY_AUTH_OIDC_ROLE_MAP: 'not json' }), /auth\.oidc\.roleMap/);
});

test('a missing config file is a config error, not a crash', () => {
  assert.throws(() => loadConfig({ GANTRY_CONFIG_FILE: '/nonexistent/gantry.yaml' }), /does not exist/);
});

test('docs/configuration.md is generated from the schema and up to date', () => {
  assert.equal(readFileSync('docs/configuration.md', 'utf8'), renderConfigDocs(), 'run: npm run docs:config');
});
