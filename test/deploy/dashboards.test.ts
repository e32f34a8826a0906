// Every InfluxQL query of every Grafana dashboard in dashboards/json, run for real: a private InfluxDB
// (Debian's 1.6.7, the API of the compose stack's 1.8) holds three hours of the simulator's telemetry,
// written with Gantry's own line-protocol encoder, plus seeded fixtures of the status, PACS and alert
// measurements. Template variables are resolved by running their own queries, then substituted the way
// Grafana does; each query must answer without error and return data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startPrivateInfluxd, type PrivateInfluxd } from '../../server/services/private-influxd.js';
import { InfluxStore, type QuerySeries } from '../../server/storage/influx.js';
import { FLEET, alertFixtures, pacsFixtures, simulatedTelemetry, statusFixtures } from './support/seed.js';
import { allPanels, renderQuery, variablesIn, type Dashboard, type DashboardVariable } from './support/grafana-influxql.js';

const DIR = 'dashboards/json';
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const dashboards = files.map((f) => ({ file: f, board: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Dashboard }));

let tmp = '';
let influxd: PrivateInfluxd | undefined;
let store: InfluxStore;
const now = Date.now();
const fromMs = now - 6 * 3_600_000; // the dashboards' default range, now-6h

function hasData(series: QuerySeries[]): boolean {
  return series.some((s) => s.values.some((row) => row.slice(1).some((v) => v !== null && v !== '')));
}

/** Runs the rendered statements in one request; returns each statement's series (throws on any error). */
async function run(statements: string[]): Promise<QuerySeries[][]> {
  return store.query(statements.join(';\n'));
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gantry-deploy-grafana-'));
  influxd = await startPrivateInfluxd({ dataDir: join(tmp, 'influxdb') });
  store = new InfluxStore({ url: influxd.url, database: 'gantry', retentionPolicy: 'raw' });
  await store.ensureDatabase(30);
  const { lines, fleet } = simulatedTelemetry(now, 3, 30_000);
  const all = [...lines, ...statusFixtures(now, fleet), ...pacsFixtures(now), ...alertFixtures(now, fleet)];
  // Strictly one batch at a time: InfluxDB 1.6 answered "write failed" (500) to the first of two batches
  // sent concurrently into a shard that did not exist yet, and a WriteApi's flush() does not wait for a
  // batch its writeRecords() already sent.
  for (let i = 0; i < all.length; i += 5000) {
    const writer = store.writeApi({ batchSize: 5001, flushInterval: 0, maxRetries: 0 });
    writer.writeRecords(all.slice(i, i + 5000));
    await writer.close();
  }
  const [count] = await store.query('SELECT count("power_kw") FROM "telemetry"');
  assert.equal(count?.[0]?.values[0]?.[1], lines.length, 'every simulated reading is stored');
});

after(async () => {
  await influxd?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('the provisioned datasource is the one every dashboard, panel and variable refers to', () => {
  const ds = parseYaml(readFileSync('dashboards/provisioning/datasources/gantry-influxdb.yaml', 'utf8')) as { datasources: { uid: string; type: string; jsonData: { dbName: string } }[] };
  const uid = ds.datasources[0]?.uid;
  assert.equal(ds.datasources[0]?.type, 'influxdb');
  const prov = parseYaml(readFileSync('dashboards/provisioning/dashboards/gantry.yaml', 'utf8')) as { providers: { options: { path: string } }[] };
  const compose = readFileSync('docker/docker-compose.yml', 'utf8');
  assert.ok(compose.includes(`../dashboards/json:${prov.providers[0]?.options.path}:ro`), 'compose mounts dashboards/json where the provider reads');
  const uids = new Set<string>();
  for (const { file, board } of dashboards) {
    assert.ok(!uids.has(board.uid), `${file}: unique uid`);
    uids.add(board.uid);
    for (const p of allPanels(board.panels)) assert.equal(p.datasource?.uid, uid, `${file} / ${p.title}`);
    for (const v of board.templating.list) if (v.type === 'query') assert.equal(v.datasource?.uid, uid, `${file} / $${v.name}`);
  }
  assert.deepEqual(files, ['alerts.json', 'downtime.json', 'fleet.json', 'pacs.json', 'scanner.json']);
});

test('panels lie on the 24-column grid without overlapping, and each dashboard is tagged for the link menu', () => {
  for (const { file, board } of dashboards) {
    const boxes = board.panels.map((p) => ({ title: p.title, ...p.gridPos }));
    for (const b of boxes) assert.ok(b.x >= 0 && b.w > 0 && b.x + b.w <= 24 && b.h > 0, `${file} / ${b.title}`);
    boxes.forEach((p, i) => boxes.slice(i + 1).forEach((q) => {
      const overlap = p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
      assert.ok(!overlap, `${file}: "${p.title}" overlaps "${q.title}"`);
    }));
    assert.ok(board.tags.includes('gantry'), `${file} tagged gantry`);
  }
});

test('the harness itself: a query on a field that does not exist returns no data, a broken one throws', async () => {
  const [empty] = await run(['SELECT mean("no_such_metric") FROM "telemetry" WHERE time > now() - 6h']);
  assert.equal(hasData(empty ?? []), false);
  await assert.rejects(run(['SELECT mean("power_kw") FROM "telemetry" GROUP BY time(']), /400/);
  // A statement-level error (valid syntax, impossible query) is an error too, not an empty result.
  await assert.rejects(run(['SELECT mean("power_kw") FROM "telemetry" WHERE time > now() - 1h GROUP BY time(1m) fill(nope)']), /InfluxDB|400/);
});

for (const { file, board } of dashboards) {
  test(`${file}: every variable and every panel query runs without error and returns data`, async () => {
    // Variables in order: each may use the ones before it, with "All" (every value) selected.
    const values = new Map<string, string[]>();
    const singles: DashboardVariable[] = [];
    for (const v of board.templating.list) {
      assert.equal(v.type, 'query', `${file}: $${v.name} is a query variable`);
      const q = renderQuery(v.query ?? '', { fromMs, toMs: now, interval: '1m', values });
      const [series] = await run([q]);
      const found = (series ?? []).flatMap((s) => s.values.map((row) => String(row[1])));
      assert.ok(found.length > 0, `${file}: $${v.name} has values (${q})`);
      values.set(v.name, found);
      if (!v.multi) singles.push(v);
    }
    const targets = allPanels(board.panels).flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, query: t.query ?? '', raw: t.rawQuery })));
    assert.ok(targets.length > 0);
    for (const t of targets) {
      assert.equal(t.raw, true, `${file} / ${t.panel}: raw InfluxQL`);
      const unknown = variablesIn(t.query).filter((n) => !values.has(n));
      assert.deepEqual(unknown, [], `${file} / ${t.panel}: only known variables`);
      // A single-value variable (the scanner) is tried with each of its values; the panel must show data
      // for at least one (a CT scanner leaves the helium panel empty) and no value may cause an error.
      const single = singles.find((s) => variablesIn(t.query).includes(s.name));
      const choices = single ? (values.get(single.name) ?? []) : [undefined];
      const statements = choices.map((c) => renderQuery(t.query, {
        fromMs, toMs: now, interval: '1m', values: c === undefined || !single ? values : new Map([...values, [single.name, [c]]]),
      }));
      for (const s of statements) assert.doesNotMatch(s, /\$[A-Za-z_]/, `${file} / ${t.panel}: fully substituted: ${s}`);
      let results: QuerySeries[][];
      try {
        results = await run(statements);
      } catch (err) {
        assert.fail(`${file} / ${t.panel}: ${(err as Error).message}\n${statements[0]}`);
      }
      assert.ok(results.some(hasData), `${file} / ${t.panel}: returns data\n${statements[0]}`);
    }
  });
}

/** Renders one panel's first query with every variable on "All" and returns its series. */
async function panelResult(file: string, title: string): Promise<QuerySeries[]> {
  const board = dashboards.find((d) => d.file === file)?.board;
  const panel = allPanels(board?.panels ?? []).find((p) => p.title === title);
  assert.ok(board && panel, `${file} / ${title}`);
  const values = new Map<string, string[]>();
  for (const v of board.templating.list) {
    const [series] = await run([renderQuery(v.query ?? '', { fromMs, toMs: now, interval: '1m', values })]);
    values.set(v.name, (series ?? []).flatMap((s) => s.values.map((row) => String(row[1]))));
  }
  const [result] = await run([renderQuery(panel.targets?.[0]?.query ?? '', { fromMs, toMs: now, interval: '1m', values })]);
  return result ?? [];
}

test('downtime panels compute what their titles say on the seeded status history', async () => {
  // Seed: scanner 0 down from -90 to -60 min, scanner 2 degraded at -30 min then down since -10 min,
  // scanner 1 in maintenance since -120 min.
  const [a, b, c] = FLEET.map((s) => s.scannerId) as [string, string, string];
  const downNow = await panelResult('downtime.json', 'Scanners down now');
  assert.equal(downNow[0]?.values[0]?.[1], 1);
  const notUpNow = await panelResult('downtime.json', 'Scanners degraded or in maintenance now');
  assert.equal(notUpNow[0]?.values[0]?.[1], 1, 'scanner 1 in maintenance; scanner 2 is down, not degraded');
  const minutes = new Map((await panelResult('downtime.json', 'Minutes down per scanner')).map((s) => [s.tags?.scanner, s.values[0]?.[1] as number]));
  assert.deepEqual([...minutes.keys()].sort(), [a, c].sort());
  assert.ok(Math.abs((minutes.get(a) ?? 0) - 30) <= 1, `${a}: ${minutes.get(a)} minutes down, ~30 expected`);
  assert.ok(Math.abs((minutes.get(c) ?? 0) - 10) <= 1, `${c}: ${minutes.get(c)} minutes down, ~10 expected`);
  const state = await panelResult('downtime.json', 'Current state');
  assert.equal(state.find((s) => s.tags?.scanner === b)?.values[0]?.[1], 'maintenance');
});

test('fleet and alert panels agree with the seed', async () => {
  const reporting = await panelResult('fleet.json', 'Scanners reporting (last 5 min)');
  assert.equal(reporting[0]?.values[0]?.[1], 18);
  const firing = await panelResult('alerts.json', 'Alerts firing now');
  assert.equal(firing[0]?.values[0]?.[1], 1, 'helium-low re-fired; the arc alert resolved');
});
