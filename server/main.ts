// Process entry point: load config (one message naming every bad key), start the platform, stop cleanly
// on SIGINT/SIGTERM so the spool is flushed and private services exit with us.
import { loadConfig, ConfigError } from './config/load.js';
import { createLogger } from './lib/logger.js';
import { startPlatform } from './platform.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.log.level);
  const platform = await startPlatform(config, log);
  log.info({ url: platform.url, mqtt: platform.mqttUrl }, 'Gantry is running');
  process.stdout.write(`\n  Gantry dashboard: ${platform.url}/\n  Health: ${platform.url}/health   Metrics: ${platform.url}/metrics\n  MQTT: ${platform.mqttUrl}\n\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    platform.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Gantry failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
