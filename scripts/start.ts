// `npm start`: installs the Debian packages Gantry runs (InfluxDB, Mosquitto clients) when missing, builds
// the dashboard if needed, then starts the whole platform with a simulated fleet so the dashboard is alive.
// Any GANTRY_* variable still applies (set GANTRY_SIMULATOR_ENABLED=false for a real fleet).
import { BINARIES, ensureBinaries } from '../server/services/system-packages.js';
import { buildWebIfStale } from './build-web.js';
import { parseCli } from '../lib/cli-args.js';

parseCli({
  command: 'npm start --',
  summary: 'Starts Gantry with a simulated fleet and PACS: private InfluxDB, embedded MQTT broker, collectors, models, alerts and the dashboard. Settings come from GANTRY_* variables and GANTRY_CONFIG_FILE (docs/configuration.md).',
  options: {},
});

const say = (l: string) => process.stdout.write(`${l}\n`);
say('[gantry] checking system packages (influxdb, mosquitto-clients)…');
ensureBinaries([BINARIES.influxd, BINARIES.mosquittoPub], say);
buildWebIfStale(say);
process.env.GANTRY_SIMULATOR_ENABLED ??= 'true';
// A week of simulated history, so the trends, downtime and what-if pages have data from the first minute.
process.env.GANTRY_SIMULATOR_BACKFILL_DAYS ??= '7';
// A simulated PACS beside the fleet: a real DICOM node the PACS probes talk to (GANTRY_PACS_SIMULATOR_ENABLED=false to skip).
process.env.GANTRY_PACS_SIMULATOR_ENABLED ??= 'true';
say(`[gantry] starting: private InfluxDB, embedded MQTT broker, collectors, server${process.env.GANTRY_SIMULATOR_ENABLED === 'true' ? ', simulated fleet' : ''}${process.env.GANTRY_PACS_SIMULATOR_ENABLED === 'true' ? ', simulated PACS' : ''}`);
await import('../server/main.js');
