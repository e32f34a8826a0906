// The write path of accepted scanner messages: line protocol goes to the spool (durable), then the items are
// handed to the event bus (live) with defer(): the listeners (alerts, sockets, models, registry) run on a
// later turn, so the acknowledgement depends on the spool append alone and no listener can delay it or,
// by throwing, make the broker redeliver. The drain copies the spool into InfluxDB. Rejects are counted, kept in the
// dead-letter store and published on the bus.
import type { AcceptedMessage, RejectReason } from '../../contracts/index.js';
import type { RejectSink, TelemetrySink } from '../../collectors/scanner-telemetry/collector.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { DeadLetterStore } from './dead-letters.js';
import type { IngestMetrics } from './ingest-metrics.js';
import { eventToLine, noExtraTags, readingsToText, statusToLine, type TagEnricher } from './line-protocol.js';
import type { Spool } from './spool.js';

export class TelemetryPipeline implements TelemetrySink, RejectSink {
  constructor(
    private readonly spool: Spool,
    private readonly bus: EventBus,
    private readonly metrics: IngestMetrics,
    private readonly deadLetters: DeadLetterStore,
    private readonly enrich: TagEnricher = noExtraTags,
  ) {}

  accept(m: AcceptedMessage): void {
    if (m.channel === 'telemetry') this.spool.appendText(readingsToText(m.readings, this.enrich));
    else this.spool.append(m.channel === 'status' ? m.statuses.map((s) => statusToLine(s, this.enrich)) : m.events.map((e) => eventToLine(e, this.enrich)));
    this.metrics.messages.inc({ result: 'accepted' });
    if (m.channel === 'telemetry') {
      this.metrics.readings.inc(m.readings.length);
      for (const r of m.readings) this.bus.defer('telemetry', r);
    } else if (m.channel === 'status') {
      for (const s of m.statuses) this.bus.defer('scannerStatus', s);
    } else {
      for (const e of m.events) this.bus.defer('scannerEvent', e);
    }
  }

  notAcknowledged(): void {
    this.metrics.notAcknowledged.inc();
  }

  canAccept(): boolean {
    return this.spool.pendingBytes() < this.spool.maxBytes * 0.95;
  }

  rejected(reason: RejectReason, topic: string, detail: string, payload: Buffer): void {
    this.metrics.reject(reason);
    this.deadLetters.add(reason, topic, detail, payload);
    this.bus.defer('reject', { reason, topic, detail });
  }
}
