import { parseCli } from '../../../lib/cli-args.js';
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { initBackend } from '../backend.js';
import { newVersion, trainingHash } from '../artifacts.js';
import { readCsvTable, readInfluxTable, type Table } from '../io/sources.js';
import { StreamingAnomalyDetector, DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from '../anomaly/streaming-detector.js';
import { RulModel, DEFAULT_RUL_CONFIG, type RulConfig } from '../rul/rul-model.js';
import { readCmapss, truncateUnits, rmse, phm08Score, CMAPSS_COLUMNS, type UnitSeries } from '../rul/cmapss.js';
import { saveDetector, saveRul } from '../model-store.js';
import { ProgressBar } from './progress.js';

const USAGE = `usage:
  npm run train -- --model anomaly (--csv FILE [--time-column timestamp] [--columns a,b]
                                   | --influx-url URL --db DB [--measurement telemetry] [--scanner ID] [--fields a,b] [--since 30d])
                   --name NAME [--version V] [--out DIR] [--config JSON]
  npm run train -- --model rul (--cmapss FILE | --csv FILE --unit-column unit [--time-column cycle]) --name NAME [--config JSON]`;

const spec = {
  command: 'npm run train --',
  summary: `Trains a streaming anomaly detector or a remaining-useful-life model and writes a versioned artifact.\n${USAGE}`,
  options: {
    model: { type: 'string', default: 'anomaly', description: 'anomaly | rul' },
    csv: { type: 'string', description: 'CSV file (a time column plus metric columns)' },
    cmapss: { type: 'string', description: 'C-MAPSS training file (rul)' },
    'time-column': { type: 'string', description: 'time column of --csv (anomaly: timestamp, rul: cycle)' },
    'unit-column': { type: 'string', default: 'unit', description: 'unit column of --csv (rul)' },
    columns: { type: 'string', description: 'comma-separated metric columns of --csv' },
    'influx-url': { type: 'string', description: 'InfluxDB URL to read history from (v1 /query)' },
    db: { type: 'string', description: 'InfluxDB database' },
    measurement: { type: 'string', default: 'telemetry', description: 'InfluxDB measurement' },
    scanner: { type: 'string', description: 'scanner id (tag value)' },
    'scanner-tag': { type: 'string', default: 'scanner', description: 'tag holding the scanner id' },
    fields: { type: 'string', description: 'comma-separated fields to train on' },
    since: { type: 'string', default: '30d', description: 'history to read (InfluxQL duration)' },
    name: { type: 'string', description: 'artifact name' },
    version: { type: 'string', description: 'artifact version (default: UTC timestamp)' },
    out: { type: 'string', default: fileURLToPath(new URL('../../artifacts', import.meta.url)), description: 'artifact root folder' },
    config: { type: 'string', description: 'JSON overrides of the model config' },
  },
  required: ['name'],
} as const;
const { values: a } = parseCli(spec);

function fail(msg: string): never {
  console.error(`${msg}\n${USAGE}`);
  process.exit(2);
}

if (!a.name) fail('--name is required');
const name = a.name;
const version = a.version ?? newVersion();
const backend = await initBackend();
const list = (s: string | undefined): string[] | undefined => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
const overrides = (a.config ? JSON.parse(a.config) : {}) as Record<string, unknown>;
const iso = (t: number | undefined): string | null => (t === undefined || !Number.isFinite(t) ? null : new Date(t).toISOString());

async function loadTable(timeColumn: string): Promise<Table> {
  if (a.csv) return readCsvTable(a.csv, timeColumn, list(a.columns));
  if (a['influx-url'] && a.db) {
    return readInfluxTable({
      url: a['influx-url'],
      db: a.db,
      measurement: a.measurement,
      scannerTag: a['scanner-tag'],
      since: a.since,
      ...(a.scanner ? { scanner: a.scanner } : {}),
      ...(a.fields ? { fields: list(a.fields)! } : {}),
    });
  }
  return fail('give --csv FILE or --influx-url URL --db DB');
}

async function trainAnomaly(): Promise<string> {
  const table = await loadTable(a['time-column'] ?? 'timestamp');
  if (table.rows.length < 200) fail(`only ${table.rows.length} rows in ${table.source}; need at least 200`);
  // The last fifth is held out: its errors calibrate the score and measure the alarm rate.
  const split = Math.floor(table.rows.length * 0.8);
  const config: Partial<DetectorConfig> = { dims: table.columns.length, historySize: split, maxSteps: 3000, maxEpochs: 60, ...overrides };
  const det = new StreamingAnomalyDetector(config);
  console.log(`backend ${backend}; ${table.rows.length} rows x ${table.columns.length} metrics from ${table.source}`);
  const bar = new ProgressBar('train', det.config.maxEpochs);
  const losses = det.fit(table.rows.slice(0, split), table.times.slice(0, split), (e, loss) => bar.tick(e + 1, `loss ${loss.toFixed(5)}`));
  bar.done();
  const hold = det.errorStats(table.rows.slice(split - det.config.window), table.times.slice(split - det.config.window));
  const replay = StreamingAnomalyDetector.fromState(det.exportState(), { refitEvery: 0 });
  let flagged = 0;
  table.rows.slice(split).forEach((r, i) => (flagged += replay.update(r, table.times[split + i]!).anomalous ? 1 : 0));
  const state = det.exportState();
  // Offline training may take thousands of steps; live refits block the event loop, so the saved
  // config returns to the runtime budget.
  const { historySize, maxSteps, maxEpochs } = DEFAULT_DETECTOR_CONFIG;
  state.config = { ...state.config, historySize, maxSteps, maxEpochs };
  state.calibration.errorMean = hold.mean;
  state.calibration.errorStd = hold.std;
  const metrics = { finalLoss: losses.at(-1) ?? Number.NaN, holdoutError: hold.mean, holdoutErrorStd: hold.std, holdoutAnomalyRate: flagged / (table.rows.length - split) };
  console.log(`holdout: mean error ${hold.mean.toFixed(3)} (residual units), anomalous share ${(100 * metrics.holdoutAnomalyRate).toFixed(2)} %`);
  const restored = StreamingAnomalyDetector.fromState(state);
  return saveDetector(a.out, restored, {
    name,
    version,
    createdAt: new Date().toISOString(),
    backend,
    dataWindow: { from: iso(table.times[0]), to: iso(table.times.at(-1)), rows: table.rows.length, source: table.source },
    metrics,
    trainingHash: trainingHash(table.times, table.rows, state.config),
    features: table.columns,
  });
}

function unitsFromTable(t: Table, unitColumn: string): UnitSeries[] {
  const ui = t.columns.indexOf(unitColumn);
  if (ui < 0) fail(`no "${unitColumn}" column`);
  const byUnit = new Map<number, UnitSeries>();
  t.rows.forEach((r, i) => {
    const unit = r[ui]!;
    const u = byUnit.get(unit) ?? { unit, cycles: [], rows: [] };
    byUnit.set(unit, u);
    u.cycles.push(t.times[i]!);
    u.rows.push(r.filter((_, j) => j !== ui));
  });
  return [...byUnit.values()];
}

async function trainRul(): Promise<string> {
  let units: UnitSeries[];
  let features: string[];
  let source: string;
  if (a.cmapss) {
    units = readCmapss(a.cmapss);
    features = CMAPSS_COLUMNS;
    // The file name, not its path: an artifact must not carry the trainer machine's folders (the hash pins the data).
    source = `cmapss:${basename(a.cmapss)}`;
  } else {
    const t = await loadTable(a['time-column'] ?? 'cycle');
    units = unitsFromTable(t, a['unit-column']);
    features = t.columns.filter((c) => c !== a['unit-column']);
    source = t.source;
  }
  const held = units.filter((_, i) => i % 5 === 4);
  const train = units.filter((_, i) => i % 5 !== 4);
  const config = { ...DEFAULT_RUL_CONFIG, ...overrides } as RulConfig;
  const members = config.members ?? 1;
  console.log(`backend ${backend}; ${train.length} run-to-failure units for training, ${held.length} held out; ${members} network(s) averaged`);
  const bar = new ProgressBar('train', config.epochs * members);
  const model = RulModel.train(train, config, (e, loss) => bar.tick(e + 1, `loss ${loss.toFixed(5)}`));
  bar.done();
  // Held-out units cut as in eval:cmapss: at most 145 cycles of life left, like the official FD001 test.
  const cut = truncateUnits(held, 10, 31, 5, 145);
  const cap = model.state.config.cap;
  const truth = cut.truth.map((t) => Math.min(cap, t));
  const pred = model.predictUnits(cut.units);
  const metrics = {
    holdoutRmse: rmse(pred, truth),
    holdoutRmseUncapped: rmse(pred, cut.truth),
    holdoutPhm08PerCase: phm08Score(pred, truth) / pred.length,
    holdoutCases: pred.length,
  };
  console.log(`holdout RMSE ${metrics.holdoutRmse.toFixed(2)} (truth capped at ${cap}), ${metrics.holdoutRmseUncapped.toFixed(2)} (uncapped), PHM08 per case ${metrics.holdoutPhm08PerCase.toFixed(2)}`);
  return saveRul(a.out, model, {
    name,
    version,
    createdAt: new Date().toISOString(),
    backend,
    dataWindow: { from: null, to: null, rows: units.reduce((s, u) => s + u.rows.length, 0), source },
    metrics,
    trainingHash: trainingHash(units, model.state.config),
    features: model.state.columns.map((c) => features[c] ?? `col${c}`),
  });
}

const dir = a.model === 'rul' ? await trainRul() : a.model === 'anomaly' ? await trainAnomaly() : fail(`unknown --model ${a.model}`);
console.log(`saved ${dir}`);
