// Process entry point: load config (one message naming every bad key), start the platform, stop cleanly
// on SIGINT/SIGTERM so the spool is flushed and private services exit with us.
import { loadConfig, ConfigError } from './config/load.js';
import { createLogger } from '../lib/logger.js';
import { startPlatform } from './platform.js';
import { processShuttingDown } from './services/supervisor.js';

// The one-time password goes to stdout once, never to the log: logs are shipped and kept, this is a secret.
function firstLogin(admin: { username: string; password: string; generated: boolean } | undefined): string {
  if (!admin) return '  Log in with your Gantry account (first start already done; see README "First login").\n';
  if (!admin.generated) return `  First start: log in as "${admin.username}" with the password from auth.initialAdminPassword, then change it.\n`;
  return [
    '',
    '  ┌─ First start ───────────────────────────────────────────────────────────',
    `  │ Log in as "${admin.username}" with this one-time password: ${admin.password}`,
    '  │ It is shown only now and stored only hashed; change it after logging in.',
    '  └──────────────────────────────────────────────────────────────────────────',
    '',
  ].join('\n');
}

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
  process.stdout.write(`\n  Gantry dashboard: ${platform.url}/   API docs: ${platform.url}/docs\n  Health: ${platform.url}/health   Metrics: ${platform.url}/metrics (API token with the metrics scope)\n  MQTT: ${platform.mqttUrl}\n${firstLogin(platform.initialAdmin)}\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    processShuttingDown();
    // Second line of defence: a part that never finishes stopping must not keep the process alive forever.
    // The report names it, so the hang can be fixed where it is rather than papered over here.
    const deadlineMs = config.shutdownTimeoutSeconds * 1000;
    setTimeout(() => {
      log.error({ pending: platform.stopPending(), seconds: config.shutdownTimeoutSeconds }, 'shutdown deadline passed; exiting with parts still stopping');
      process.exit(1);
    }, deadlineMs).unref();
    platform.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Gantry failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
