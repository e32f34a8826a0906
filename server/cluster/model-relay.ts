// Model output (anomaly scores, forecasts) exists only on the leader, which runs the scoring worker. The
// leader announces each on a channel and the other instances put it on their own bus, so their dashboards
// (batch-mode sockets included) show it like the leader's do.
import type { EventBus } from '../../lib/event-bus.js';
import type { ClusterCoordinator } from './coordinator.js';
import { Fence } from './fence.js';
import type { RedisConns } from './redis.js';

export async function relayModelOutput(r: RedisConns, bus: EventBus, lease: ClusterCoordinator): Promise<() => void> {
  const channel = r.key('models');
  const fence = new Fence(r, lease);
  const send = (k: 'anomaly' | 'prediction', x: unknown) => {
    if (lease.isLeader) void fence.publish(channel, JSON.stringify({ k, x })).catch(() => undefined);
  };
  const offs = [bus.on('anomaly', (x) => send('anomaly', x)), bus.on('prediction', (x) => send('prediction', x))];
  await r.sub.subscribe(channel, (msg) => {
    if (lease.isLeader) return;
    const m = JSON.parse(msg) as { k: 'anomaly' | 'prediction'; x: never };
    bus.emit(m.k, m.x);
  });
  return () => { for (const off of offs) off(); };
}
