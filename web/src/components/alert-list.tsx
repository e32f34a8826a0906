import type { Alert } from '../../../contracts/alerts.js';
import { formatDateTime } from '../lib/format.js';

export function AlertList({ alerts, title = 'Alerts' }: { alerts: readonly Alert[]; title?: string }) {
  return (
    <aside className="alerts panel" aria-label={title}>
      <h2>{title}</h2>
      {alerts.length === 0 && <p className="empty">No alerts.</p>}
      <ul data-testid="alert-list">
        {alerts.map((a) => (
          <li key={a.id} className={`alert ${a.severity} ${a.state}`} data-testid={`alert-${a.id}`} data-state={a.state}>
            <span className="badge">{a.state}</span>
            <span className="msg">{a.message}</span>
            <time dateTime={new Date(a.endsAt ?? a.startsAt).toISOString()}>{formatDateTime(a.endsAt ?? a.startsAt)}</time>
          </li>
        ))}
      </ul>
    </aside>
  );
}
