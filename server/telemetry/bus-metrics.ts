// Publishes the event bus's per-listener figures on /metrics and logs listener errors (throttled: a
// listener that throws on every reading would otherwise flood the log at the ingest rate).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventBus } from '../../lib/event-bus.js';
import type { Logger } from '../../lib/logger.js';
import { LogThrottle } from '../../lib/log-throttle.js';

export function instrumentBus(bus: EventBus, registry: Registry, log: Logger): void {
  const labelNames = ['event', 'listener'] as const;
  const each = (set: (labels: { event: string; listener: string }, s: ReturnType<EventBus['stats']>[number]) => void) => {
    for (const s of bus.stats()) set({ event: s.event, listener: s.listener }, s);
  };
  new Gauge({
    name: 'gantry_bus_listener_lag_seconds', help: 'Time from a reading being spooled (and acknowledged) to its delivery to this listener, last seen', labelNames, registers: [registry],
    collect() { this.reset(); each((l, s) => this.set(l, s.lastLagMs / 1000)); },
  });
  new Gauge({
    name: 'gantry_bus_listener_lag_max_seconds', help: 'Worst lag of this listener since start', labelNames, registers: [registry],
    collect() { this.reset(); each((l, s) => this.set(l, s.maxLagMs / 1000)); },
  });
  new Counter({
    name: 'gantry_bus_listener_errors_total', help: 'Events whose listener threw (isolated: other listeners and ingest go on)', labelNames, registers: [registry],
    collect() { this.reset(); each((l, s) => this.inc(l, s.errors)); },
  });
  new Counter({
    name: 'gantry_bus_listener_busy_seconds_total', help: 'Time spent inside this listener', labelNames, registers: [registry],
    collect() { this.reset(); each((l, s) => this.inc(l, s.busyMs / 1000)); },
  });
  new Gauge({
    name: 'gantry_bus_deferred_pending', help: 'Accepted events not yet delivered to the listeners', registers: [registry],
    collect() { this.set(bus.pending()); },
  });
  const throttle = new LogThrottle(log, 60_000);
  bus.onListenerError((err, event, listener) => throttle.warn(`${event}:${listener}`, { err, event, listener }, 'event-bus listener threw (isolated; ingest goes on)'));
}
