import type { Alert } from '../../../contracts/alerts';
import { getSocket } from './socket';

/** Current alerts, newest change first: the snapshot on (re)connect, then each change replaces its alert. */
export function subscribeAlerts(cb: (alerts: Alert[]) => void): () => void {
  const s = getSocket();
  const byId = new Map<string, Alert>();
  const emit = () => cb([...byId.values()].sort((a, b) => (b.endsAt ?? b.startsAt) - (a.endsAt ?? a.startsAt)));
  const onSnapshot = (alerts: Alert[]) => {
    byId.clear();
    for (const a of alerts) byId.set(a.id, a);
    emit();
  };
  const onAlert = (a: Alert) => {
    byId.set(a.id, a);
    emit();
  };
  s.on('alerts:snapshot', onSnapshot);
  s.on('alert', onAlert);
  return () => { s.off('alerts:snapshot', onSnapshot); s.off('alert', onAlert); };
}
