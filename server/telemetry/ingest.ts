// Assembles the scanner ingest path: spool → drain → InfluxDB, the collector in front of it, the dead-letter
// store and the spool alarm. Used by the platform and by the stand-alone collector process
// (server/telemetry/collector-process.ts), so both run exactly the same path.
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { ScannerTelemetryCollector } from '../../collectors/scanner-telemetry/collector.js';
import type { Config } from '../config/schema.js';
import { PACS_METRICS_FILTER } from '../../contracts/pacs.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { Logger } from '../../lib/logger.js';
import type { InfluxStore } from '../storage/influx.js';
import { DeadLetterStore, type DeadLetterReader } from './dead-letters.js';
import { InfluxDrain } from './influx-drain.js';
import { firstLines } from './drain-lanes.js';
import { LineWriter } from '../storage/line-writer.js';
import { IngestMetrics } from './ingest-metrics.js';
import type { TagEnricher } from './line-protocol.js';
import { TelemetryPipeline } from './pipeline.js';
import type { RollupSettings } from './rollups.js';
import { LateRollups } from './late-rollups.js';
import { Spool } from './spool.js';

export interface IngestDeps {
  config: Readonly<Config>;
  dataDir: string;
  influx: InfluxStore;
  mqttUrl: string;
  registry: Registry;
  bus: EventBus;
  log: Logger;
  /** Credentials of Gantry's own MQTT client (the embedded broker's internal account, or config). */
  mqttCredentials?: { username?: string; password?: string };
  /** Hook for a fleet registry: extra stable tags (vendor, model) per scanner. */
  enrich?: TagEnricher;
  /** The rollups (set up by the platform) to recompute when late data is written; absent when off. */
  rollups?: RollupSettings;
}

export interface Ingest {
  collector: ScannerTelemetryCollector;
  /** Accepts readings and counts rejects; other collectors (PACS) report their rejects through it. */
  pipeline: TelemetryPipeline;
  deadLetters: DeadLetterReader;
  drain: InfluxDrain;
  spool: Spool;
  /** Spool state for /health: not ok while above the alarm level. */
  spoolCheck(): { ok: boolean; detail: string };
  stop(): Promise<void>;
}

const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

export async function startIngest(d: IngestDeps): Promise<Ingest> {
  const { config, log } = d;
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => { for (const s of stops.reverse()) await s(); };
  try {
    let late: LateRollups | undefined;
    if (d.rollups) {
      late = new LateRollups(d.influx, d.rollups, log.child({ module: 'late-rollups' }), undefined, undefined, join(d.dataDir, 'late-rollups.json'));
      late.start();
      const l = late;
      stops.push(() => l.stop());
    }
    const metrics = new IngestMetrics(d.registry);
    const deadLetters = new DeadLetterStore({
      dir: join(d.dataDir, 'dead-letters'), maxBytes: config.ingest.deadLetterMaxBytes, capturePayload: config.ingest.deadLetterCapturePayload,
      onError: (err) => log.error({ err: err.message }, 'could not append dead letters'),
    });
    stops.push(() => deadLetters.close());
    const spool = new Spool({ dir: join(d.dataDir, 'spool'), maxBytes: config.ingest.spoolMaxBytes, fsyncIntervalMs: config.ingest.spoolFsyncMs });
    stops.push(() => spool.close());
    metrics.spoolCapacity.set(spool.maxBytes);
    const writer = new LineWriter(d.influx.settings, { gzipThreshold: config.influx.gzipThreshold });
    const drainLog = log.child({ module: 'influx-drain' });
    const drain = new InfluxDrain(spool, writer, {
      batchSize: config.influx.batchSize, flushIntervalMs: config.influx.flushIntervalMs, maxRetries: config.influx.maxRetries, concurrency: config.influx.writeConcurrency,
      minRetryDelayMs: config.influx.retryMinDelayMs, maxRetryDelayMs: config.influx.retryMaxDelayMs,
    }, drainLog, {
      onWritten: (lines, s, body) => { metrics.written.inc(lines); metrics.writeSeconds.observe(s); late?.observeBody(body); },
      onWriteError: () => metrics.writeErrors.inc(),
      onRejected: (lines, body, message) => {
        metrics.influxRejected.inc(lines);
        deadLetters.add('influx_rejected', 'influxdb', message, firstLines(body, 5));
      },
    });
    drain.start();
    stops.push(() => drain.stop());

    // Alarm before the spool is full: once full, the collector stops acknowledging and the broker's queues
    // grow instead, which an operator should hear about well before.
    const alarmBytes = (spool.maxBytes * config.ingest.spoolAlarmPct) / 100;
    let alarm = false;
    const spoolLog = log.child({ module: 'spool' });
    const watch = () => {
      const pending = spool.pendingBytes();
      metrics.spoolBytes.set(pending);
      const now = pending >= alarmBytes;
      if (now === alarm) return;
      alarm = now;
      metrics.spoolAlarm.set(now ? 1 : 0);
      d.bus.emit('spoolAlarm', { active: now, pendingBytes: pending, maxBytes: spool.maxBytes });
      if (now) spoolLog.error({ pendingBytes: pending, maxBytes: spool.maxBytes, alarmPct: config.ingest.spoolAlarmPct, influx: drain.lastWriteError }, 'spool nearly full: InfluxDB is not keeping up; ingest stops acknowledging when it is full');
      else spoolLog.info({ pendingBytes: pending }, 'spool back below its alarm level');
    };
    const watcher = setInterval(watch, 1000);
    stops.push(() => clearInterval(watcher));

    const pipeline = new TelemetryPipeline(spool, d.bus, metrics, deadLetters, d.enrich);
    const m = config.mqtt;
    const collector = new ScannerTelemetryCollector({
      url: d.mqttUrl, clientId: m.clientId, ...(d.mqttCredentials ?? (m.username ? { username: m.username, password: m.password } : {})),
      connections: m.collectorConnections, sharedGroup: m.sharedGroup, othersHandle: config.pacs.acceptPushed ? [PACS_METRICS_FILTER] : [],
      limits: {
        maxPayloadBytes: config.ingest.maxPayloadBytes, maxSamplesPerMessage: config.ingest.maxSamplesPerMessage,
        maxFutureSkewMs: config.ingest.maxFutureSkewSeconds * 1000, maxPastAgeMs: config.influx.retentionDays * 86400000,
      },
    }, pipeline, pipeline, log.child({ module: 'scanner-telemetry' }));
    await collector.start();
    stops.push(() => collector.stop());

    return {
      collector, pipeline, deadLetters, drain, spool, stop,
      spoolCheck: () => {
        const pending = spool.pendingBytes();
        const detail = `${mib(pending)} of ${mib(spool.maxBytes)} pending (alarm at ${config.ingest.spoolAlarmPct} %)`;
        return { ok: pending < alarmBytes, detail };
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
