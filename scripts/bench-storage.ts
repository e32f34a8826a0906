// npm run bench:storage — InfluxDB disk per scanner per day, for sizing (docs/deployment.md). One simulated
// day of each scanner at one reading per second (status changes and exam events included) is written as the
// line protocol Gantry's ingestion writes (server/telemetry/line-protocol.ts) to a private InfluxDB, which is
// then left to snapshot its cache and fully compact; the TSM files, index and WAL are measured on disk.
// Baseline in the same run: the same data as line-protocol text (what it would take uncompressed).
//   npm run bench:storage -- [--scanners 4] [--hours 24]
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetLayout } from '../collectors/simulator/fleet.js';
import { buildFleet, simulateSteps } from '../collectors/simulator/scenario.js';
import { sleep } from '../lib/net.js';
import { parseCli, numberOpt } from '../lib/cli-args.js';
import { startPrivateInfluxd } from '../server/services/private-influxd.js';
import { eventToLine, readingToLine, statusToLine } from '../server/telemetry/line-protocol.js';
import { tempDir } from '../test/support/platform.js';

const spec = {
  command: 'npm run bench:storage --',
  summary: 'Bytes per reading in a private InfluxDB 1.6 after compaction, for a simulated fleet.',
  options: {
    scanners: { type: 'string', default: '4', description: 'simulated scanners' },
    hours: { type: 'string', default: '24', description: 'hours of 1 Hz readings' },
  },
} as const;
const { values: cliArgs } = parseCli(spec);
const scanners = numberOpt(spec, 'scanners', cliArgs.scanners);
const hours = numberOpt(spec, 'hours', cliArgs.hours);
const say = (l: string) => process.stdout.write(`${l}\n`);
const MiB = 1024 * 1024;

function du(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.blocks * 512;
  return readdirSync(path).reduce((sum, name) => sum + du(join(path, name)), 0);
}

const dir = tempDir('bench-storage');
// Short cold durations so the cache snapshots and the shard compacts fully within the run (defaults: 10 min, 4 h).
const influxd = await startPrivateInfluxd({ dataDir: dir, data: { 'cache-snapshot-write-cold-duration': '"2s"', 'compact-full-write-cold-duration': '"5s"' } });
try {
  await fetch(`${influxd.url}/query?q=${encodeURIComponent('CREATE DATABASE bench')}`, { method: 'POST' });
  const end = Math.floor(Date.now() / 86_400_000) * 86_400_000; // midnight: the day lies in one 7-day shard group or two
  const start = end - hours * 3_600_000;
  const specs = fleetLayout(scanners);
  say(`# storage: ${scanners} scanners (${specs.map((s) => s.modality).join(', ')}) × ${hours} h at 1 reading/s → private InfluxDB 1.6 (tsi1)`);
  let lines: string[] = [];
  let textBytes = 0;
  let readings = 0;
  let values = 0;
  const flush = async () => {
    const body = lines.join('\n');
    textBytes += Buffer.byteLength(body) + 1;
    const res = await fetch(`${influxd.url}/write?db=bench&precision=ms`, { method: 'POST', body });
    if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`);
    lines = [];
  };
  const t = performance.now();
  for (const step of simulateSteps(buildFleet(scanners, 1, []), start, end, 1000)) {
    const r = step.reading;
    lines.push(readingToLine(r));
    readings += 1;
    values += Object.keys(r.metrics).length;
    const id = { site: r.site, modality: r.modality, scannerId: r.scannerId };
    for (const s of step.statuses) lines.push(statusToLine({ ...id, ...s, ts: Number(new Date(s.ts)) }));
    for (const e of step.events) lines.push(eventToLine({ ...id, ...e, ts: Number(new Date(e.ts)) }));
    if (lines.length >= 10_000) await flush();
  }
  if (lines.length > 0) await flush();
  const writeS = (performance.now() - t) / 1000;
  say(`# wrote ${readings.toLocaleString('en')} readings (${values.toLocaleString('en')} values) in ${writeS.toFixed(1)} s; waiting for snapshot and full compaction…`);
  let last = -1;
  let stableFor = 0;
  for (let i = 0; i < 120 && stableFor < 3; i++) {
    await sleep(2000);
    const size = du(join(dir, 'data')) + du(join(dir, 'wal'));
    stableFor = size === last && du(join(dir, 'wal')) < 64 * 1024 ? stableFor + 1 : 0;
    last = size;
  }
  const data = du(join(dir, 'data'));
  const wal = du(join(dir, 'wal'));
  const perScannerDay = (data + wal) / scanners / (hours / 24);
  const result = {
    at: new Date().toISOString(), scanners, hours, readings, values,
    lineProtocolMiB: +(textBytes / MiB).toFixed(1), tsmMiB: +(data / MiB).toFixed(1), walMiB: +(wal / MiB).toFixed(2),
    perScannerDayMiB: +(perScannerDay / MiB).toFixed(2), bytesPerValue: +((data + wal) / values).toFixed(2),
    compressionRatio: +(textBytes / (data + wal)).toFixed(1),
  };
  say(`baseline  line protocol text: ${result.lineProtocolMiB} MiB (${(textBytes / values).toFixed(1)} B/value)`);
  say(`InfluxDB  on disk after compaction: ${result.tsmMiB} MiB data + ${result.walMiB} MiB WAL = ${result.bytesPerValue} B/value (${result.compressionRatio}× smaller)`);
  say(`per scanner per day at 1 reading/s: ${result.perScannerDayMiB} MiB (≈ ${(perScannerDay * 30 / 1024 ** 3).toFixed(2)} GiB per scanner for 30 days of raw data)`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', `storage-${result.at.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await influxd.stop();
  rmSync(dir, { recursive: true, force: true });
}
