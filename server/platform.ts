// Composition root: starts the services Gantry depends on (private or configured InfluxDB, embedded or
// configured broker), then the write path, collectors, rules and the HTTP/Socket.IO server, and stops them
// in reverse order. Nothing here is global: tests start several platforms side by side.
import { join, resolve } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Health } from '../contracts/index.js';
import type { FleetSimulator } from '../collectors/simulator/publisher.js';
import { runSimulatedFleet } from '../collectors/simulator/backfilled-fleet.js';
import type { Config } from './config/schema.js';
import { EventBus } from '../lib/event-bus.js';
import { instrumentBus } from './telemetry/bus-metrics.js';
import type { Logger } from '../lib/logger.js';
import { startPrivateInfluxd, type PrivateInfluxd } from './services/private-influxd.js';
import { backoffOf, downDetail, preflight, serviceMetrics } from './services/supervision.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './services/embedded-broker.js';
import { InfluxStore } from './storage/influx.js';
import { startIngest } from './telemetry/ingest.js';
import { LatestReadings } from './telemetry/latest.js';
import { AlertingService } from './alerts/service.js';
import { buildApp, type GantryApp } from './app.js';
import { startAccess } from './auth/access.js';
import { startRollup } from './series/rollup.js';
import { createAnalytics } from './downtime/analytics.js';
import { startPacs, type PacsModule } from './pacs/module.js';
import { bridgePacsToAlerts } from './pacs/alert-signals.js';
import { startSimulatedPacs } from './pacs/simulated.js';
import type { PacsSimulator } from '../collectors/pacs-simulator/simulator.js';
import { LiveScoring } from './models/live-scoring.js';
import { joinCluster, type ClusterNode, type LeaderTask } from './cluster/node.js';
import { StopSteps } from './lib/stop-steps.js';

export interface Platform {
  url: string;
  mqttUrl: string;
  influx: InfluxStore;
  bus: EventBus;
  alerting: AlertingService;
  http: GantryApp;
  simulator: FleetSimulator | undefined;
  /** Settles once the simulated fleet's backfill (if any) is published and it publishes live. */
  simulatorReady: Promise<void> | undefined;
  pacs: PacsModule;
  /** The simulated PACS (pacs.simulator.enabled) and when its tier history is published. */
  pacsSimulator: PacsSimulator | undefined;
  pacsSimulatorReady: Promise<void> | undefined;
  privateInfluxd: PrivateInfluxd | undefined;
  /** Membership of a cluster (cluster.redisUrl), absent for a stand-alone process. */
  cluster: ClusterNode | undefined;
  /** Set on the first start only: the admin account and its one-time password, to show the operator once. */
  initialAdmin: { username: string; password: string; generated: boolean } | undefined;
  stop(): Promise<void>;
  /** While stop() runs: the steps not finished yet (for the shutdown deadline's report). */
  stopPending(): string[];
}

export async function startPlatform(config: Readonly<Config>, log: Logger): Promise<Platform> {
  const steps = new StopSteps(log);
  const stopAll = () => steps.stopAll();
  try {
    const dataDir = resolve(config.dataDir);
    const lock = await preflight(config, dataDir);
    steps.add('data-dir lock', () => lock.release());
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    let privateInfluxd: PrivateInfluxd | undefined;
    const metrics = serviceMetrics(registry, () => (privateInfluxd ? [privateInfluxd.state()] : []));
    let influxUrl = config.influx.url;
    if (!influxUrl) {
      const influxd = await startPrivateInfluxd({
        dataDir: join(dataDir, 'influxdb'), port: config.influx.port, backoff: backoffOf(config),
        log: log.child({ module: 'influxd' }), onRestart: () => metrics.restarted('influxd'),
      });
      privateInfluxd = influxd;
      steps.add('influxd', () => influxd.stop());
      metrics.supervised('influxd');
      influxUrl = influxd.url;
      log.info({ url: influxUrl, dataDir: influxd.dataDir, pid: influxd.state().pid }, 'private InfluxDB started');
    }
    const influx = new InfluxStore({ url: influxUrl, database: config.influx.database, retentionPolicy: config.influx.retentionPolicy, username: config.influx.username, password: config.influx.password });
    await influx.ensureDatabase(config.influx.retentionDays);
    const rollupSettings = { database: config.influx.database, rawRetentionPolicy: config.influx.retentionPolicy, rollup1mDays: config.influx.rollup1mDays, rollup1hDays: config.influx.rollup1hDays };
    const rollups = await startRollup(influx, { ...rollupSettings, enabled: config.influx.rollups, rawRetentionDays: config.influx.retentionDays }, log.child({ module: 'rollup' }));
    const seriesRollup = rollups ? rollupSettings : undefined;

    const cluster = config.cluster.redisUrl ? await joinCluster(config, log) : undefined;
    if (cluster) steps.add('cluster', () => cluster.stop());
    const access = await startAccess(config, dataDir, cluster);
    steps.add('access', () => access.stop());

    let broker: EmbeddedBroker | undefined;
    let mqttUrl = config.mqtt.url;
    if (!mqttUrl) {
      const auth = { devices: access.mqttDevices, allowAnonymous: config.mqtt.allowAnonymous };
      const m = config.mqtt;
      const limits = {
        maxPacketBytes: m.embeddedMaxPacketBytes, connectTimeoutMs: m.embeddedConnectTimeoutMs, maxPending: m.embeddedMaxPendingConnections,
        maxPendingPerAddress: m.embeddedMaxPendingPerAddress, loginDelay: { baseMs: m.loginDelayBaseMs, maxMs: m.loginDelayMaxMs },
      };
      broker = await startEmbeddedBroker({ host: m.embeddedHost, port: m.embeddedPort, log: log.child({ module: 'broker' }), auth, limits });
      steps.add('mqtt broker', () => broker?.stop());
      mqttUrl = broker.url;
    }

    const bus = new EventBus();
    instrumentBus(bus, registry, log.child({ module: 'event-bus' }));
    // Gantry's own clients log in to the embedded broker with the internal credential generated at start.
    const mqttCreds = config.mqtt.username ? { username: config.mqtt.username, password: config.mqtt.password }
      : broker ? access.mqttDevices.internal : {};
    const ingest = await startIngest({ config, dataDir, influx, mqttUrl, mqttCredentials: mqttCreds, registry, bus, log, ...(seriesRollup ? { rollups: seriesRollup } : {}) });
    steps.add('ingest (collector, spool flush)', () => ingest.stop());
    const { collector, drain, spool, pipeline } = ingest;
    const latest = new LatestReadings(bus);
    const alerting = new AlertingService({ bus, influx, log: log.child({ module: 'alerts' }), config: config.alerts, dataDir });
    if (cluster) await cluster.joinAlerting(alerting);
    await alerting.start();
    steps.add('alerting', () => alerting.stop());

    let pacsSimulator: PacsSimulator | undefined;
    if (config.pacs.simulator.enabled) {
      pacsSimulator = await startSimulatedPacs(config, dataDir, { url: mqttUrl, ...mqttCreds }, log.child({ module: 'pacs-simulator' }));
      steps.add('pacs simulator', () => pacsSimulator?.stop());
    }
    // Rejected PACS pushes are counted and listed without their payload.
    const pacs = await startPacs(config, {
      sink: spool, bus, mqtt: { url: mqttUrl, clientId: config.mqtt.clientId, ...mqttCreds },
      rejected: (r, t, d) => pipeline.rejected(r, t, d, Buffer.alloc(0)), query: (q) => influx.query(q),
      ...(pacsSimulator ? { extraTargets: [pacsSimulator.target()] } : {}),
    }, log.child({ module: 'pacs' }));
    steps.add('pacs collector', () => pacs.stop());
    steps.add('pacs alert bridge', bridgePacsToAlerts(bus));
    // In the background, like the fleet's backfill: the dashboard is up while the tier history goes out.
    const pacsSimulatorReady = pacsSimulator?.startStorage().catch((err: unknown) => { log.error({ err }, 'simulated PACS storage agent failed'); });

    const leaderTasks: LeaderTask[] = [];
    if (config.models.enabled) {
      const m = config.models;
      const scoring = new LiveScoring({
        bus, sink: spool, registry, log: log.child({ module: 'models' }), batchMs: m.batchMs,
        settings: { backend: m.backend, artifactsDir: m.artifactsDir, anomalyArtifact: m.anomalyArtifact, scoreEveryMs: m.scoreEverySeconds * 1000, forecastEveryMs: m.forecastEveryMs, forecastSamples: m.forecastSamples, trendWindowMs: m.trendWindowHours * 3_600_000, fineWindowMs: m.fineTrendMinutes * 60_000, loadFollowing: m.forecastLoadFollowing, maxExtrapolation: m.maxExtrapolation, minTrendMs: m.minTrendMinutes * 60_000, horizonMs: m.horizonDays * 86_400_000 },
      });
      // In a cluster only the leader scores (every reading reaches it); a standby's worker starts on takeover.
      if (cluster) leaderTasks.push(scoring);
      else {
        try {
          await scoring.start();
          steps.add('model scoring', () => scoring.stop());
        } catch (err) {
          await scoring.stop();
          log.error({ err: (err as Error).message }, 'model scoring unavailable; Gantry runs without anomaly scores and forecasts');
        }
      }
    }

    const health = async (): Promise<Health> => {
      const db = await influx.ping();
      const down = privateInfluxd ? downDetail(privateInfluxd.state()) : undefined;
      const influxOk = db.ok && !drain.degraded && !down;
      const detail = [down, db.detail, drain.degraded ? `writes failing: ${drain.lastWriteError}` : undefined].filter(Boolean).join('; ');
      const mqttOk = collector.connected;
      const spoolCheck = ingest.spoolCheck();
      return {
        status: influxOk && mqttOk && spoolCheck.ok ? 'ok' : 'degraded',
        uptimeSeconds: Math.round(process.uptime()),
        checks: {
          influxdb: { ok: influxOk, latencyMs: Math.round(db.latencyMs * 10) / 10, detail },
          mqtt: { ok: mqttOk, detail: mqttOk ? `connected to ${mqttUrl}` : `not connected to ${mqttUrl}` },
          spool: spoolCheck,
        },
      };
    };
    access.fleet.start(bus);
    const analytics = createAnalytics(config, influx, {
      vendorOf: (id) => access.fleet.scanner(id)?.vendor, windows: () => alerting.suppressions.windows.values(),
    });
    const http = await buildApp({
      config, log, bus, registry, health, telemetrySnapshot: () => latest.all(), alertsSnapshot: () => alerting.snapshot(), alerting,
      auth: access.auth, audit: access.audit, fleet: access.fleet, influx, seriesRollup, mqttDevices: broker ? access.mqttDevices : undefined, analytics,
      deadLetters: ingest.deadLetters,
      pacs: {
        latest: () => pacs.pipeline.snapshot(),
        siteOf: (id) => pacs.targets.find((t) => t.id === id)?.site ?? pacs.pipeline.snapshot().find((d) => d.pacsId === id)?.site,
      },
    });
    await http.app.listen({ host: config.http.host, port: config.http.port });
    steps.add('http server', () => http.app.close());
    if (cluster) {
      await cluster.attachSockets(http.io);
      await cluster.run(bus, alerting, leaderTasks);
      steps.add('leader tasks', async () => { for (const t of leaderTasks) await t.stop(); });
    }
    const addr = http.app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.http.port;
    const url = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${port}`;

    let simulator: FleetSimulator | undefined;
    let simulatorReady: Promise<void> | undefined;
    if (config.simulator.enabled) {
      const s = config.simulator;
      const run = runSimulatedFleet({
        url: mqttUrl, ...mqttCreds, scanners: s.scanners, intervalMs: s.intervalMs, seed: s.seed,
        backfillDays: s.backfillDays, backfillStepMs: s.backfillStepS * 1000, backfillFaults: s.backfillFaults, repairHours: s.repairHours,
      }, log.child({ module: 'simulator' }));
      simulator = run.simulator;
      steps.add('fleet simulator', () => run.simulator.stop());
      simulatorReady = run.ready.catch((err: unknown) => { log.error({ err }, 'simulated fleet failed to start'); });
      if (s.backfillDays === 0) await simulatorReady;
    }
    return { url, mqttUrl, influx, bus, alerting, http, simulator, simulatorReady, pacs, pacsSimulator, pacsSimulatorReady, privateInfluxd, cluster, initialAdmin: access.initialAdmin, stop: stopAll, stopPending: () => steps.pending() };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
