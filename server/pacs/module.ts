// Builds the PACS domain for the composition root: the pipeline (spool + bus + derived signals), the
// active/passive collector for configured targets and the MQTT subscriber for edge-pushed metrics.
import type { RejectReason } from '../../contracts/index.js';
import { PacsCollector } from '../../collectors/pacs/collector.js';
import { PacsPushSubscriber } from '../../collectors/pacs/push.js';
import type { Config } from '../config/schema.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { Logger } from '../../lib/logger.js';
import { PacsPipeline } from './pipeline.js';
import type { PointSink } from './points.js';
import { pacsRules } from './rules.js';
import { seedTierHistory, type InfluxQuery } from './history.js';
import type { PacsRule } from '../../contracts/pacs.js';
import type { PacsTarget } from '../../collectors/pacs/target.js';

export interface PacsDeps {
  sink: PointSink;
  bus: EventBus;
  mqtt: { url: string; clientId: string; username?: string; password?: string };
  rejected: (reason: RejectReason, topic: string, detail: string) => void;
  /** Reads back stored tier samples so the growth fit survives a restart. */
  query?: InfluxQuery;
  /** Targets besides config.pacs.targets (the simulated PACS's). */
  extraTargets?: readonly PacsTarget[];
}

export interface PacsModule {
  pipeline: PacsPipeline;
  collector: PacsCollector;
  /** Every probed target: configured ones and the simulated PACS's. */
  targets: readonly PacsTarget[];
  /** Default rules with config overrides, for the alert engine. */
  rules: PacsRule[];
  stop(): Promise<void>;
}

export async function startPacs(config: Readonly<Config>, deps: PacsDeps, log: Logger): Promise<PacsModule> {
  const rules = pacsRules(config.pacs.ruleOverrides);
  const pipeline = new PacsPipeline(deps.sink, deps.bus, {
    derivedIntervalMs: config.pacs.derivedIntervalMs,
    probeWindowMs: config.pacs.windowMinutes * 60_000,
    growthWindowMs: config.pacs.growthWindowHours * 3_600_000,
  }, log);
  const targets = [...config.pacs.targets, ...(deps.extraTargets ?? [])];
  const collector = new PacsCollector({ targets }, pipeline, log.child({ module: 'pacs-collector' }));
  let push: PacsPushSubscriber | undefined;
  const stop = async () => {
    await collector.stop();
    await push?.stop();
    pipeline.stop();
  };
  try {
    if (deps.query) {
      const n = await seedTierHistory(deps.query, (x) => pipeline.signals.recordStorage(x), config.pacs.growthWindowHours)
        .catch((err: unknown) => { log.warn({ err: (err as Error).message }, 'could not read stored tier samples; growth starts afresh'); return 0; });
      if (n > 0) log.info({ samples: n }, 'tier history read back for the growth forecast');
    }
    pipeline.start();
    await collector.start();
    if (config.pacs.acceptPushed) {
      push = new PacsPushSubscriber({ ...deps.mqtt, clientId: `${deps.mqtt.clientId}-pacs`, maxPayloadBytes: config.ingest.maxPayloadBytes }, pipeline, deps.rejected, log.child({ module: 'pacs-push' }));
      await push.start();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { pipeline, collector, targets, rules, stop };
}
