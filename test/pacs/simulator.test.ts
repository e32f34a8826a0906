// The simulated PACS end to end, from a fresh platform: Gantry's ordinary probes talk DICOM to it, and every
// fault it injects (refused association, timeout, abort, slow archive recall, outage) is classified by the
// cause its ground truth names; /api/pacs and its history serve the figures; the tier and streak alerts
// fire; and nothing Gantry wrote (InfluxDB, log, stdout, data folder) holds the PACS's patient tokens.
// Simulated time runs ten times faster (pacs.simulator.timeScale 0.1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { PacsProbeResult } from '../../contracts/pacs.js';
import type { PacsHistory } from '../../contracts/pacs-api.js';
import type { PacsSimFaultWindow, PacsSimGroundTruth } from '../../contracts/pacs-simulator.js';
import { SIM_PATIENT_ID, SIM_PATIENT_NAME } from '../../collectors/pacs-simulator/archive.js';
import { loadConfig } from '../../server/config/load.js';
import { createLogger } from '../../lib/logger.js';
import { startPlatform, type Platform } from '../../server/platform.js';
import { PACS_GROUND_TRUTH_FILE } from '../../server/pacs/simulated.js';
import { eventually, tempDir, TEST_ADMIN_PASSWORD } from '../support/platform.js';
import { captureOutput } from './support.js';

const NEEDLES = [SIM_PATIENT_NAME, SIM_PATIENT_ID, 'NOBODY'];
/** A probe counts for a window when it starts this long after the window opens and before it closes. */
const MARGIN_MS = 150;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}
const hits = (where: string, text: Buffer | string) => NEEDLES.filter((n) => (Buffer.isBuffer(text) ? text : Buffer.from(text)).includes(n)).map((n) => `${where}: ${n}`);

interface Judged { window: PacsSimFaultWindow; probe: PacsProbeResult; ok: boolean }

/** Probes that started inside a fault window, each judged against what the ground truth expects. */
function judge(truth: PacsSimGroundTruth, probes: readonly PacsProbeResult[], tierOf: (canary?: string) => string | undefined): Judged[] {
  const out: Judged[] = [];
  for (const p of probes) {
    const start = p.ts - p.durationMs;
    const w = truth.windows.find((x) => start >= x.startMs + MARGIN_MS && start < x.endMs - MARGIN_MS);
    if (!w || !w.expect.probes.includes(p.probe)) continue;
    const e = w.expect;
    if (e.tiers && !e.tiers.includes(tierOf(p.canary) ?? '')) continue;
    const ok = e.ok ? p.ok && p.durationMs >= (e.minDurationMs ?? 0) : !p.ok && p.cause === e.cause && (!e.code || p.code === e.code);
    out.push({ window: w, probe: p, ok });
  }
  return out;
}

describe('the simulated PACS, probed by Gantry', () => {
  let p: Platform;
  let cookie = '';
  const dataDir = tempDir('pacs-sim');
  const logDir = tempDir('pacs-sim-log');
  const logFile = join(logDir, 'gantry.log');
  const probes: PacsProbeResult[] = [];
  const captured: string[] = [];
  let restoreOutput = () => undefined as void;

  before(async () => {
    restoreOutput = captureOutput(captured);
    const config = loadConfig({}, {
      dataDir, 'http.port': 0, 'mqtt.embeddedPort': 0, 'influx.flushIntervalMs': 50, 'log.level': 'trace', 'models.enabled': false,
      'mqtt.clientId': `gantry-pacs-sim-${process.pid}`, 'auth.initialAdminPassword': TEST_ADMIN_PASSWORD, 'pacs.derivedIntervalMs': 300,
      'pacs.simulator.enabled': true, 'pacs.simulator.timeScale': 0.1, 'pacs.simulator.cycleSeconds': 200, 'pacs.simulator.faultSeconds': 20,
      'pacs.simulator.probeIntervalMs': 120, 'pacs.simulator.storageIntervalMs': 500,
    });
    p = await startPlatform(config, createLogger('trace', pino.destination({ dest: logFile, sync: true })));
    p.bus.on('pacs:probe', (r) => { if (r.pacsId === 'sim-pacs') probes.push(r); });
    const res = await fetch(`${p.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });
  after(async () => {
    restoreOutput();
    await p?.stop();
    for (const d of [dataDir, logDir]) rmSync(d, { recursive: true, force: true });
  });

  test('every injected fault is classified by the cause the ground truth names', async () => {
    const sim = p.pacsSimulator;
    assert.ok(sim, 'the simulated PACS runs');
    const target = p.pacs.targets.find((t) => t.id === 'sim-pacs');
    const tierOf = (c?: string) => target?.canaries.find((x) => x.name === c)?.tier;
    const kinds = new Set(sim.groundTruth().windows.map((w) => w.kind));
    assert.equal(kinds.size, 5);
    const judged = await eventually('a judged probe in every fault kind\'s window', async () => judge(sim.groundTruth(Date.now()), probes, tierOf),
      (j) => j.some((x) => !x.ok) || [...kinds].every((k) => j.some((x) => x.window.kind === k)), 40_000);
    const wrong = judged.filter((x) => !x.ok).map((x) => `${x.window.kind}: ${x.probe.probe} ${x.probe.ok ? 'ok' : `${x.probe.cause}/${x.probe.code}`} in ${Math.round(x.probe.durationMs)} ms`);
    assert.deepEqual(wrong, []);
    for (const k of kinds) assert.ok(judged.some((x) => x.window.kind === k), `no probe judged for ${k}`);
    // Outside the windows the PACS is healthy: probes clear of every window succeed (a loaded test machine
    // may still time out the odd one, which is a true measurement, not a misclassification).
    const truth = sim.groundTruth(Date.now());
    const clear = probes.filter((x) => !truth.windows.some((w) => x.ts >= w.startMs - MARGIN_MS && x.ts - x.durationMs < w.endMs + MARGIN_MS));
    const failed = clear.filter((x) => !x.ok);
    assert.ok(clear.length > 10 && failed.length <= clear.length * 0.1, `healthy probes failed: ${failed.map((x) => x.cause).join(',')} of ${clear.length}`);
    const file = JSON.parse(readFileSync(join(dataDir, PACS_GROUND_TRUTH_FILE), 'utf8')) as PacsSimGroundTruth;
    assert.equal(file.pacsId, 'sim-pacs');
    assert.ok(file.windows.length >= 5, 'the ground truth file lists the windows');
  });

  // Time to the first instance (the tier's recall; the total adds 2-4 instances sent over a loaded machine),
  // hot against archive only: at timeScale 0.1 the warm tier's extra delay is within a loaded machine's noise.
  test('retrieval latency grows with study age and tier', async () => {
    const ok = probes.filter((x) => x.probe === 'retrieve' && x.ok);
    const median = (bucket: string) => { const v = ok.filter((x) => x.ageBucket === bucket).map((x) => x.firstInstanceMs ?? NaN).sort((a, b) => a - b); return v[Math.floor(v.length / 2)] ?? NaN; };
    assert.ok(median('lt_7d') < median('lt_3y') && median('lt_7d') < median('ge_3y'), `medians ${median('lt_7d')} ${median('lt_3y')} ${median('ge_3y')}`);
  });

  test('GET /api/pacs and its history serve every section from InfluxDB', async () => {
    const get = (path: string) => fetch(`${p.url}${path}`, { headers: { cookie } });
    const list = await eventually('derived signals with tiers', async () => (await (await get('/api/pacs')).json()) as { pacsId: string; tiers: { tier: string; fillPct: number | null; daysToFull: number | null }[] }[],
      (l) => (l[0]?.tiers.length ?? 0) === 3 && (l[0]?.tiers ?? []).every((t) => t.daysToFull !== null));
    const archive = list[0]?.tiers.find((t) => t.tier === 'archive');
    assert.ok(archive && (archive.fillPct ?? 0) > 85 && (archive.daysToFull ?? 99) < 30, JSON.stringify(archive));
    const h = await eventually('history of every section', async () => (await (await get(`/api/pacs/sim-pacs/history?from=${Date.now() - 8 * 86_400_000}`)).json()) as PacsHistory,
      (x) => x.latency.length >= 5 && x.failures.length >= 3 && x.storage.length === 3 && x.association.length === 3);
    assert.ok(h.stepMs >= 30 * 60_000, `a week is downsampled (step ${h.stepMs} ms)`);
    const hot = h.storage.find((s) => s.tier === 'hot')?.points ?? [];
    assert.ok(hot.length > 100 && (hot[hot.length - 1]?.mean ?? 0) > (hot[0]?.mean ?? 100), 'a week of growing tier fill');
    assert.equal((await get(`/api/pacs/nope/history?from=${Date.now() - 60_000}`)).status, 404);
    assert.equal((await fetch(`${p.url}/api/pacs`)).status, 401);
  });

  test('site scoping and roles: another site\'s IT sees no PACS, a viewer is refused', async () => {
    const admin = (body: unknown) => fetch(`${p.url}/api/users`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const login = async (username: string) => {
      const res = await fetch(`${p.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'long-enough-password' }) });
      return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    };
    assert.ok((await admin({ username: 'river-it', password: 'long-enough-password', role: 'it', sites: ['riverside'], mustChangePassword: false })).ok);
    assert.ok((await admin({ username: 'viewer1', password: 'long-enough-password', role: 'viewer', mustChangePassword: false })).ok);
    const river = await login('river-it');
    assert.deepEqual(await (await fetch(`${p.url}/api/pacs`, { headers: { cookie: river } })).json(), []);
    assert.equal((await fetch(`${p.url}/api/pacs/sim-pacs/history?from=${Date.now() - 60_000}`, { headers: { cookie: river } })).status, 404);
    assert.equal((await fetch(`${p.url}/api/pacs`, { headers: { cookie: await login('viewer1') } })).status, 403);
  });

  test('PACS alerts fire: tier above 85 % and an association failure streak', async () => {
    await eventually('PACS alerts', async () => p.alerting.snapshot().filter((a) => a.scannerId === 'sim-pacs').map((a) => a.ruleId),
      (ids) => ids.includes('pacs-tier-fill') && ids.includes('pacs-failure-streak'), 20_000);
  });

  test('nothing Gantry wrote holds the PACS\'s patient tokens', async () => {
    await p.stop();
    const leaks: string[] = [];
    const { startPrivateInfluxd } = await import('../../server/services/private-influxd.js');
    const influxd = await startPrivateInfluxd({ dataDir: join(dataDir, 'influxdb') });
    try {
      for (const q of ['SELECT * FROM /.*/', 'SHOW TAG VALUES WITH KEY =~ /.*/', 'SHOW FIELD KEYS']) {
        const text = await (await fetch(`${influxd.url}/query?db=gantry&q=${encodeURIComponent(q)}`)).text();
        assert.ok(q !== 'SELECT * FROM /.*/' || text.includes('pacs_probe'), 'InfluxDB holds the PACS points');
        leaks.push(...hits(`influx ${q}`, text));
      }
    } finally { await influxd.stop(); }
    for (const f of filesUnder(dataDir)) if (statSync(f).isFile()) leaks.push(...hits(f, readFileSync(f)));
    const log = readFileSync(logFile, 'utf8');
    assert.ok(log.includes('simulated PACS listening'), 'the log was captured');
    leaks.push(...hits('log', log), ...hits('stdout/stderr', captured.join('')));
    assert.deepEqual(leaks, []);
  });
});
