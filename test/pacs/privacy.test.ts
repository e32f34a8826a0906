// Privacy guarantee: after probing studies whose patient name and ID are distinctive strings (C-FIND,
// C-GET of every instance, REST and Prometheus scrapes), and an edge agent pushing a payload that smuggles
// them in, nothing Gantry wrote holds either string: InfluxDB, its log at trace level, the process's
// stdout/stderr, the spool and every other file in its data folder (dead letters included).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { pacsMetricsTopic } from '../../contracts/pacs.js';
import { loadConfig } from '../../server/config/load.js';
import { createLogger } from '../../lib/logger.js';
import { startPlatform, type Platform } from '../../server/platform.js';
import { eventually, tempDir } from '../support/platform.js';
import { PATIENT_ID, PATIENT_NAME, canaryTarget, captureOutput, startCanaryPacs, type CanaryPacs } from './support.js';

const NEEDLES = [PATIENT_NAME, PATIENT_ID, 'Xylophant', 'Quodlibet'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

function hits(where: string, content: Buffer | string): string[] {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return NEEDLES.filter((n) => buf.includes(n) || buf.includes(Buffer.from(n, 'utf16le'))).map((n) => `${where}: ${n}`);
}

describe('no patient identifier leaves the PACS through Gantry', () => {
  let pacs: CanaryPacs;
  let p: Platform;
  const dataDir = tempDir('privacy');
  const orthancDir = tempDir('orthanc-privacy');
  const logDir = tempDir('privacy-log');
  const logFile = join(logDir, 'gantry.log');
  const captured: string[] = [];
  let restoreOutput = () => undefined as void;

  before(async () => {
    pacs = await startCanaryPacs(orthancDir);
    restoreOutput = captureOutput(captured);
    const config = loadConfig({}, {
      dataDir, 'http.port': 0, 'mqtt.embeddedPort': 0, 'influx.flushIntervalMs': 50, 'log.level': 'trace',
      'mqtt.clientId': `gantry-privacy-${process.pid}`, 'pacs.derivedIntervalMs': 300,
      'mqtt.allowAnonymous': true, // the smuggling push below uses a bare MQTT client
      'pacs.targets': [canaryTarget(pacs, 'main', { find: { intervalMs: 200, timeoutMs: 3000, studyDate: pacs.oldDate } })],
    });
    p = await startPlatform(config, createLogger('trace', pino.destination({ dest: logFile, sync: true })));
  });
  after(async () => {
    restoreOutput();
    await pacs?.orthanc.stop();
    for (const d of [dataDir, orthancDir, logDir]) rmSync(d, { recursive: true, force: true });
  });

  test('the canary studies really carry the strings (so the scan below can fail)', () => {
    const found = filesUnder(pacs.orthanc.storageDir).flatMap((f) => hits(f, readFileSync(f)));
    assert.ok(found.some((h) => h.endsWith(PATIENT_NAME)) && found.some((h) => h.endsWith(PATIENT_ID)));
  });

  test('after probing, scraping and a smuggling push, no trace of either string anywhere Gantry wrote', async () => {
    await eventually('every probe ran several times', async () => {
      const res = await p.influx.query(`SELECT count("duration_ms") FROM "pacs_probe" WHERE "result" = 'ok' GROUP BY "probe", "canary"`);
      return res[0] ?? [];
    }, (s) => s.length === 4 && s.every((x) => Number(x.values[0]?.[1]) >= 2));
    const found = await p.influx.query(`SELECT last("matches") FROM "pacs_probe" WHERE "probe" = 'find'`);
    assert.equal(found[0]?.[0]?.values[0]?.[1], 1, 'C-FIND matched the year-old canary');
    const client = await mqtt.connectAsync(p.mqttUrl);
    await client.publishAsync(pacsMetricsTopic({ site: 'edge', pacsId: 'remote' }), JSON.stringify({ ts: Date.now(), stats: { n: 1 }, patient: { name: PATIENT_NAME, id: PATIENT_ID } }), { qos: 1 });
    await client.endAsync();
    await eventually('stats scraped', () => p.influx.query(`SELECT count("count_instances") FROM "pacs_stats"`), (r) => Number(r[0]?.[0]?.values[0]?.[1]) >= 2);
    await p.stop();

    const leaks: string[] = [];
    const { startPrivateInfluxd } = await import('../../server/services/private-influxd.js');
    const influxd = await startPrivateInfluxd({ dataDir: join(dataDir, 'influxdb') });
    try {
      const url = `${influxd.url}/query?db=gantry&q=`;
      for (const q of ['SELECT * FROM /.*/', 'SHOW TAG VALUES WITH KEY =~ /.*/', 'SHOW FIELD KEYS', 'SHOW SERIES']) {
        const text = await (await fetch(url + encodeURIComponent(q))).text();
        assert.ok(q !== 'SELECT * FROM /.*/' || text.includes('pacs_probe'), 'InfluxDB holds the PACS points');
        leaks.push(...hits(`influx ${q}`, text));
      }
    } finally { await influxd.stop(); }
    for (const f of filesUnder(dataDir)) if (statSync(f).isFile()) leaks.push(...hits(f, readFileSync(f)));
    const log = readFileSync(logFile, 'utf8');
    assert.ok(log.includes('PACS collector started') && log.includes('pushed PACS metrics rejected'), 'the log was captured');
    leaks.push(...hits('log', log), ...hits('stdout/stderr', captured.join('')));
    assert.deepEqual(leaks, []);
  });
});
