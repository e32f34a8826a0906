// Data model of telemetry in InfluxDB (docs/data-model.md): measurement "telemetry", tags site / modality /
// scanner, one float field per metric, millisecond timestamps. Same scanner + timestamp = same point, which
// is what makes replays idempotent.
import { Point } from '@influxdata/influxdb-client';
import type { TelemetryReading } from '../../contracts/index.js';

export const TELEMETRY_MEASUREMENT = 'telemetry';

export function readingToLine(r: TelemetryReading): string {
  const p = new Point(TELEMETRY_MEASUREMENT).tag('site', r.site).tag('modality', r.modality).tag('scanner', r.scannerId);
  for (const [name, value] of Object.entries(r.metrics)) p.floatField(name, value);
  return p.timestamp(String(Math.round(r.ts))).toLineProtocol() as string;
}
