// Latest reading per scanner, so a dashboard that connects gets the whole fleet at once instead of waiting
// a full publish interval for every tile.
import type { TelemetryReading } from '../../contracts/index.js';
import type { EventBus } from '../../lib/event-bus.js';

export class LatestReadings {
  private readonly latest = new Map<string, TelemetryReading>();

  constructor(bus: EventBus) {
    bus.on('telemetry', (r) => {
      const prev = this.latest.get(r.scannerId);
      if (prev && prev.ts > r.ts) return; // a late (replayed or batched) sample must not roll the tile back
      this.latest.set(r.scannerId, prev ? { ...r, metrics: { ...prev.metrics, ...r.metrics } } : r);
    }, 'latest-readings');
  }

  all(): TelemetryReading[] {
    return [...this.latest.values()].sort((a, b) => a.scannerId.localeCompare(b.scannerId));
  }
}
