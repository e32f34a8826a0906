import type { Alert, AlertDetail } from '../../../contracts/alerts.js';
import type { MaintenanceWindow, Silence, SilenceRequest } from '../../../contracts/alert-silences.js';
import { api } from './http.js';
import { getSocket } from './socket.js';

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

export function fetchAlertDetail(id: string): Promise<AlertDetail> {
  return api<AlertDetail>(`/api/alerts/${encodeURIComponent(id)}`);
}

/** The server records the signed-in user as the one who acknowledged. */
export function acknowledgeAlert(id: string, comment: string): Promise<Alert> {
  return api<Alert>(`/api/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST', body: comment ? { comment } : {} });
}

/** Silences notifications for one scanner + rule until `endsAt` (the server records the signed-in user as its creator). */
export function silenceAlert(alert: Alert, endsAt: number, comment: string): Promise<Silence> {
  const body: SilenceRequest = {
    matchers: [{ name: 'ruleId', value: alert.ruleId }, { name: 'scannerId', value: alert.scannerId }],
    endsAt, ...(comment ? { comment } : {}),
  };
  return api<Silence>('/api/alerts/silences', { method: 'POST', body });
}

/** Alerts of one scanner in every state (the engine keeps recent history), newest first. */
export async function fetchScannerAlerts(scannerId: string, limit = 200): Promise<Alert[]> {
  const alerts = await api<Alert[]>('/api/alerts', { query: { scannerId, limit } });
  return alerts.sort((a, b) => b.startsAt - a.startsAt);
}

export function fetchMaintenanceWindows(): Promise<(MaintenanceWindow & { active: boolean })[]> {
  return api<(MaintenanceWindow & { active: boolean })[]>('/api/alerts/maintenance');
}
