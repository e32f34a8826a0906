// Live model scoring: readings from the bus are batched to the scoring worker; its anomaly scores and
// time-to-threshold forecasts come back as `anomaly` / `prediction` bus events (alert rules, Socket.IO)
// and are appended to the spool like telemetry, so they reach InfluxDB durably. If the worker cannot
// start, Gantry keeps running without model output and says so in the log and /metrics.
import type { Worker } from 'node:worker_threads';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TelemetryReading } from '../../contracts/index.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { Logger } from '../../lib/logger.js';
import { startModuleWorker } from '../lib/ts-worker.js';
import { anomalyToLine, predictionToLine } from '../telemetry/line-protocol.js';
import type { FromWorker, ScoringSettings, ToWorker } from './protocol.js';

export interface LiveScoringDeps {
  bus: EventBus;
  /** Durable write path (the telemetry spool). */
  sink: { append(lines: readonly string[]): void };
  registry: Registry;
  log: Logger;
  settings: ScoringSettings;
  batchMs: number;
}

export class LiveScoring {
  private worker: Worker | undefined;
  private buffer: TelemetryReading[] = [];
  private timer: NodeJS.Timeout | undefined;
  private off: (() => void) | undefined;
  private readonly backendInfo: Gauge<'backend'>;
  private readonly seconds: Histogram;
  private readonly scored: Counter;
  private readonly predictions: Counter;

  constructor(private readonly deps: LiveScoringDeps) {
    const registers = [deps.registry];
    this.backendInfo = new Gauge({ name: 'gantry_model_backend_info', help: 'TensorFlow.js backend the scoring worker uses (value 1)', labelNames: ['backend'], registers });
    this.seconds = new Histogram({ name: 'gantry_model_scoring_seconds', help: 'Worker time to score one batch of readings', buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2], registers });
    this.scored = new Counter({ name: 'gantry_model_scored_readings_total', help: 'Readings scored by the anomaly detector', registers });
    this.predictions = new Counter({ name: 'gantry_model_predictions_total', help: 'Time-to-threshold forecasts emitted', registers });
  }

  async start(): Promise<void> {
    const worker = startModuleWorker(import.meta.url, 'scoring-worker', this.deps.settings);
    this.worker = worker;
    const backend = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('scoring worker did not start within 60 s')), 60_000);
      worker.once('error', (err) => { clearTimeout(timer); reject(err); });
      worker.once('message', (m: FromWorker) => {
        clearTimeout(timer);
        if (m.type === 'ready') resolve(m.backend); else reject(new Error(m.type === 'error' ? m.message : 'unexpected first message'));
      });
    });
    this.backendInfo.set({ backend }, 1);
    this.deps.log.info({ backend }, 'model scoring worker ready');
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) => this.deps.log.error({ err: err.message }, 'model scoring worker failed; live scores stop'));
    this.off = this.deps.bus.on('telemetry', (r) => { this.buffer.push(r); }, 'model-scoring');
    this.timer = setInterval(() => this.flush(), this.deps.batchMs);
    this.timer.unref();
  }

  private flush(): void {
    if (this.buffer.length === 0 || !this.worker) return;
    const msg: ToWorker = { type: 'readings', readings: this.buffer };
    this.buffer = [];
    this.worker.postMessage(msg);
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'error') { this.deps.log.error({ err: m.message }, 'model scoring failed for a batch'); return; }
    if (m.type !== 'scored') return;
    this.seconds.observe(m.seconds);
    this.scored.inc(m.scores.length);
    this.predictions.inc(m.predictions.length);
    const lines: string[] = [];
    for (const s of m.scores) { this.deps.bus.emit('anomaly', s); lines.push(anomalyToLine(s)); }
    for (const p of m.predictions) { this.deps.bus.emit('prediction', p); lines.push(predictionToLine(p)); }
    try {
      this.deps.sink.append(lines);
    } catch (err) {
      // A full spool refuses model output like anything else; scores are recomputable, telemetry is not.
      this.deps.log.warn({ err: (err as Error).message }, 'model output not stored');
    }
  }

  async stop(): Promise<void> {
    this.off?.();
    if (this.timer) clearInterval(this.timer);
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
