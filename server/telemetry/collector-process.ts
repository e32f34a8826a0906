// Stand-alone collector process: the ingest path alone (collector → spool → InfluxDB), configured like the
// server (GANTRY_* variables, config file). Used to run ingest apart from the web server, by the
// kill-and-restart durability test and by the ingest benchmark. Needs mqtt.url and influx.url.
import { resolve } from 'node:path';
import { Registry } from 'prom-client';
import { loadConfig } from '../config/load.js';
import { EventBus } from '../../lib/event-bus.js';
import { createLogger } from '../../lib/logger.js';
import { InfluxStore } from '../storage/influx.js';
import { startIngest } from './ingest.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.log.level);
  if (!config.mqtt.url || !config.influx.url) throw new Error('the stand-alone collector needs mqtt.url and influx.url (GANTRY_MQTT_URL, GANTRY_INFLUX_URL)');
  const influx = new InfluxStore({ url: config.influx.url, database: config.influx.database, retentionPolicy: config.influx.retentionPolicy, username: config.influx.username, password: config.influx.password });
  await influx.ensureDatabase(config.influx.retentionDays);
  const ingest = await startIngest({ config, dataDir: resolve(config.dataDir), influx, mqttUrl: config.mqtt.url, registry: new Registry(), bus: new EventBus(), log });
  process.stdout.write('collector ready\n');
  const shutdown = () => { ingest.stop().then(() => process.exit(0), () => process.exit(1)); };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`collector failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
