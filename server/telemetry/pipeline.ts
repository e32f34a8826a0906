// The telemetry write path: accepted readings go to the spool (durable), then onto the event bus (live),
// and the drain copies the spool into InfluxDB. Rejects are counted and published for the dead-letter view.
import type { RejectReason, TelemetryReading } from '../../contracts/index.js';
import type { RejectSink, TelemetrySink } from '../../collectors/scanner-telemetry/collector.js';
import type { EventBus } from '../lib/event-bus.js';
import type { IngestMetrics } from './ingest-metrics.js';
import { readingToLine } from './line-protocol.js';
import type { Spool } from './spool.js';

export class TelemetryPipeline implements TelemetrySink, RejectSink {
  constructor(
    private readonly spool: Spool,
    private readonly bus: EventBus,
    private readonly metrics: IngestMetrics,
  ) {}

  accept(readings: TelemetryReading[]): void {
    this.spool.append(readings.map(readingToLine));
    this.metrics.messages.inc({ result: 'accepted' });
    this.metrics.readings.inc(readings.length);
    for (const r of readings) this.bus.emit('telemetry', r);
  }

  rejected(reason: RejectReason, topic: string, detail: string): void {
    this.metrics.reject(reason);
    this.bus.emit('reject', { reason, topic, detail });
  }
}
