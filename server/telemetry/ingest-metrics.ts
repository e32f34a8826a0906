// Prometheus instruments of the telemetry path. Created against the app's registry (never the global one)
// so tests can build several apps in one process.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { REJECT_REASONS, type RejectReason } from '../../contracts/index.js';

export class IngestMetrics {
  readonly messages: Counter<'result'>;
  readonly readings: Counter;
  readonly rejects: Counter<'reason'>;
  readonly written: Counter;
  readonly writeErrors: Counter;
  readonly writeSeconds: Histogram;
  readonly spoolBytes: Gauge;
  readonly spoolCapacity: Gauge;
  readonly spoolAlarm: Gauge;
  readonly influxRejected: Counter;
  readonly notAcknowledged: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.messages = new Counter({ name: 'gantry_ingest_messages_total', help: 'MQTT telemetry messages received, by result', labelNames: ['result'], registers });
    this.readings = new Counter({ name: 'gantry_ingest_readings_total', help: 'Telemetry samples accepted', registers });
    this.rejects = new Counter({ name: 'gantry_ingest_rejects_total', help: 'Telemetry messages rejected, by reason', labelNames: ['reason'], registers });
    this.written = new Counter({ name: 'gantry_influx_points_written_total', help: 'Points confirmed written to InfluxDB', registers });
    this.writeErrors = new Counter({ name: 'gantry_influx_write_errors_total', help: 'Failed InfluxDB write attempts (data stays in the spool)', registers });
    this.writeSeconds = new Histogram({ name: 'gantry_influx_write_seconds', help: 'Duration of one InfluxDB batch write', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
    this.spoolBytes = new Gauge({ name: 'gantry_spool_pending_bytes', help: 'Accepted data not yet confirmed by InfluxDB', registers });
    this.spoolCapacity = new Gauge({ name: 'gantry_spool_capacity_bytes', help: 'Bound of the spool', registers });
    this.spoolAlarm = new Gauge({ name: 'gantry_spool_alarm', help: '1 while the spool is above its alarm level (InfluxDB has not kept up); 0 otherwise', registers });
    this.influxRejected = new Counter({ name: 'gantry_influx_points_rejected_total', help: 'Points InfluxDB refused permanently (HTTP 400: type conflict, beyond retention); kept as dead letters', registers });
    this.notAcknowledged = new Counter({ name: 'gantry_ingest_unacknowledged_total', help: 'Messages left unacknowledged (redelivered later) because the spool was full', registers });
    // Zero every reason so dashboards see the series before the first reject.
    for (const reason of REJECT_REASONS) this.rejects.inc({ reason }, 0);
    for (const result of ['accepted', 'rejected']) this.messages.inc({ result }, 0);
  }

  reject(reason: RejectReason): void {
    this.messages.inc({ result: 'rejected' });
    this.rejects.inc({ reason });
  }
}
