// Turns the PACS collector's derived signals into the flat `pacs` bus events the alert engine's rules read
// (rules/pacs.yaml). One value per PACS and signal: the worst tier, the slowest retrieval bucket, the
// summed association failure rate, so one alert per PACS and rule says "this PACS needs attention".
import type { PacsDerived } from '../../contracts/pacs.js';
import type { PacsSignal } from '../../contracts/alert-signals.js';
import type { EventBus } from '../../lib/event-bus.js';

export function pacsAlertSignals(d: PacsDerived): PacsSignal[] {
  const out: PacsSignal[] = [];
  const add = (signal: string, value: number | null | undefined) => {
    if (value !== null && value !== undefined && Number.isFinite(value)) out.push({ pacsId: d.pacsId, site: d.site, signal, value, ts: d.ts });
  };
  const fills = d.tiers.map((t) => t.fillPct).filter((v): v is number => v !== null);
  if (fills.length) add('tier_fill_pct', Math.max(...fills));
  const days = d.tiers.map((t) => t.daysToFull).filter((v): v is number => v !== null);
  if (days.length) add('days_to_full', Math.min(...days));
  const retrieve = d.latency.filter((l) => l.probe === 'retrieve' && l.count > 0);
  if (retrieve.length) add('retrieval_latency_p95_ms', Math.max(...retrieve.map((l) => l.p95Ms)));
  const echo = d.probes.find((p) => p.probe === 'echo');
  if (echo && echo.attempts > 0) {
    add('association_failure_rate', d.failures.filter((f) => f.probe === 'echo').reduce((s, f) => s + f.rate, 0));
    add('echo_down', echo.lastOk ? 0 : 1);
  }
  if (d.probes.length) add('association_failure_streak', Math.max(...d.probes.map((p) => p.consecutiveFailures)));
  return out;
}

/** Subscribes the adapter; returns the unsubscribe. */
export function bridgePacsToAlerts(bus: EventBus): () => void {
  return bus.on('pacs:derived', (d) => { for (const s of pacsAlertSignals(d)) bus.emit('pacs', s); });
}
