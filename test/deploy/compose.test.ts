// docker/docker-compose.yml without a Docker engine: interpolated with docker/.env.example as Compose would,
// validated against the Compose Specification JSON schema (the copy dclint ships), linted by dclint, and
// checked for what the deployment promises (pinned images, documented variables, state on volumes, limits,
// restart policies, a Gantry environment that Gantry's own config loader accepts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { DCLinter } from 'dclint';
import { loadConfig, ConfigError } from '../../server/config/load.js';
import { interpolate, referencedVariables } from './support/compose-env.js';
import { COMPOSE_PATH, DOCKER_DIR, compose, composeText, envExample, filledEnv } from './support/compose-file.js';

const DOCKER = DOCKER_DIR;
const services = Object.entries(compose.services);

test('the interpolated compose file is valid against the Compose Specification schema', () => {
  const require = createRequire(import.meta.url);
  const schemaPath = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { title: string };
  assert.equal(schema.title, 'Compose Specification');
  // The schema names draft-07 with a URL ajv does not register; the meta-schema check is not the point.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  const validate = ajv.compile(schema);
  const ok = validate(compose);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  // The same validator refuses a broken file, so a pass means something.
  assert.equal(validate({ services: { x: { image: 'a:1', restart: 7, ports: [{ published: [] }] } } }), false);
});

test('dclint reports no error and no warning', () => {
  const linter = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
  const [result] = linter.lintFiles([COMPOSE_PATH], false);
  assert.ok(result);
  // dclint's type declarations use extensionless imports that NodeNext cannot follow; the shape is its RuleMessage.
  const messages = result.messages as { line: number; message: string; rule: string }[];
  assert.deepEqual(messages.map((m) => `${m.line}: ${m.message} (${m.rule})`), []);
});

test('every service image is pinned to a version (no latest, no bare name)', () => {
  for (const [name, svc] of services) {
    assert.ok(svc.image, `${name} has an image`);
    assert.equal(svc.build, undefined, `${name}: build separately and pin the tag (dclint no-build-and-image)`);
    assert.match(svc.image, /^[a-z0-9./_-]+(:\d+(\.\d+)+[\w.-]*)?(@sha256:[a-f0-9]{64})?$/, `${name}: ${svc.image}`);
    assert.match(svc.image, /(:\d+(\.\d+)+|@sha256:)/, `${name}: ${svc.image} is pinned`);
    assert.doesNotMatch(svc.image, /:latest\b/);
  }
});

test('every variable the compose file uses is documented in .env.example, and every documented one is used', () => {
  const used = referencedVariables(composeText);
  const documented = new Set(envExample.keys());
  assert.deepEqual([...used].filter((v) => !documented.has(v)), [], 'used but not documented');
  // COMPOSE_PROFILES is read by Compose itself.
  assert.deepEqual([...documented].filter((v) => !used.has(v) && v !== 'COMPOSE_PROFILES'), [], 'documented but unused');
});

test('secrets have no default: Compose stops with a message while .env.example is not filled in', () => {
  for (const secret of ['GANTRY_INFLUX_PASSWORD', 'GANTRY_MQTT_PASSWORD', 'GRAFANA_INFLUX_PASSWORD', 'GRAFANA_ADMIN_PASSWORD', 'ORTHANC_PASSWORD']) {
    assert.equal(envExample.get(secret), '', `${secret} is empty in .env.example`);
    assert.match(composeText, new RegExp(`\\$\\{${secret}:\\?`), `${secret} is required with :?`);
  }
  assert.throws(() => interpolate('${GANTRY_MQTT_PASSWORD:?set GANTRY_MQTT_PASSWORD in docker/.env}', envExample), /set GANTRY_MQTT_PASSWORD/);
  // The one secret that may stay empty: Gantry then prints a one-time admin password on first start.
  assert.match(composeText, /GANTRY_AUTH_INITIAL_ADMIN_PASSWORD: \$\{GANTRY_AUTH_INITIAL_ADMIN_PASSWORD:-\}/);
});

test('restart policies, resource limits and log rotation on every service', () => {
  for (const [name, svc] of services) {
    const oneShot = name === 'mosquitto-init';
    assert.equal(svc.restart, oneShot ? 'no' : 'unless-stopped', `${name} restart`);
    assert.ok(svc.deploy?.resources?.limits?.cpus, `${name} cpu limit`);
    assert.match(svc.deploy?.resources?.limits?.memory ?? '', /^\d+[mg]$/, `${name} memory limit`);
    assert.ok(svc.logging, `${name} log rotation`);
    if (!oneShot) assert.ok(svc.healthcheck || svc.profiles, `${name} has a healthcheck`);
  }
});

test('all state lives on named volumes, and every bind-mounted file exists in the repository', () => {
  const state: Record<string, string> = {
    gantry: '/var/lib/gantry', influxdb: '/var/lib/influxdb', mosquitto: '/mosquitto/data', grafana: '/var/lib/grafana', orthanc: '/var/lib/orthanc/db',
  };
  for (const [svc, path] of Object.entries(state)) {
    const mount = compose.services[svc]?.volumes?.find((v) => v.split(':')[1] === path);
    assert.ok(mount, `${svc} keeps ${path} on a volume`);
    assert.ok(Object.keys(compose.volumes).includes(mount.split(':')[0] as string), `${svc}: ${mount} is a named volume`);
  }
  for (const [name, svc] of services) {
    for (const v of svc.volumes ?? []) {
      const src = v.split(':')[0] as string;
      if (!src.startsWith('.') || src === filledEnv.get('BACKUP_DIR')) continue;
      assert.ok(existsSync(resolve(DOCKER, src)), `${name}: ${src} exists`);
    }
  }
  assert.ok(existsSync(resolve(DOCKER, 'mqtt-devices.example.txt')), 'a template for the devices secret');
});

test("Gantry's environment is accepted by Gantry's own config loader and points at the stack's services", () => {
  const env = compose.services.gantry?.environment ?? {};
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    assert.fail(err instanceof ConfigError ? err.message : String(err));
  }
  assert.equal(config.http.host, '0.0.0.0');
  assert.equal(config.influx.url, 'http://influxdb:8086');
  assert.equal(config.mqtt.url, 'mqtt://mosquitto:1883');
  assert.equal(config.mqtt.password, filledEnv.get('GANTRY_MQTT_PASSWORD'));
  assert.equal(config.dataDir, '/var/lib/gantry');
  assert.equal(config.http.trustProxy, true);
  assert.equal(config.http.secureCookies, true);
  // The ACL grants Gantry's rights to a named user; the default account must be that user.
  assert.match(readFileSync(join(DOCKER, 'mosquitto', 'acl'), 'utf8'), new RegExp(`^user ${config.mqtt.username}$`, 'm'));
  // InfluxDB's first-start script creates exactly the account Gantry logs in with.
  const influxEnv = compose.services.influxdb?.environment ?? {};
  assert.equal(influxEnv.INFLUXDB_ADMIN_USER, config.influx.username);
  assert.equal(influxEnv.INFLUXDB_ADMIN_PASSWORD, config.influx.password);
  assert.equal(influxEnv.INFLUXDB_DB, config.influx.database);
});

test('only the broker listens beyond loopback; the rest sits behind the reverse proxy', () => {
  for (const [name, svc] of services) {
    for (const p of svc.ports ?? []) {
      if (name === 'mosquitto') assert.match(p, /^0\.0\.0\.0:\d+:1883$/);
      else assert.match(p, /^127\.0\.0\.1:\d+:\d+$/, `${name}: ${p}`);
    }
  }
});

test("Grafana's provisioning reads only variables the grafana service receives", () => {
  const grafanaEnv = compose.services.grafana?.environment ?? {};
  const file = readFileSync(resolve('dashboards/provisioning/datasources/gantry-influxdb.yaml'), 'utf8');
  const used = [...file.matchAll(/\$([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] as string);
  assert.ok(used.length >= 3);
  for (const name of used) assert.ok(name in grafanaEnv, `${name} is passed to grafana`);
  // The read-only account Grafana logs in with is the one InfluxDB's first start creates.
  assert.equal(grafanaEnv.GRAFANA_INFLUX_USERNAME, compose.services.influxdb?.environment?.INFLUXDB_READ_USER);
  assert.equal(grafanaEnv.GRAFANA_INFLUX_PASSWORD, compose.services.influxdb?.environment?.INFLUXDB_READ_USER_PASSWORD);
});
