import type { Alert } from '../../../contracts/alerts';

export function AlertList({ alerts }: { alerts: Alert[] }) {
  return (
    <aside className="alerts" aria-label="Alerts">
      <h2>Alerts</h2>
      {alerts.length === 0 && <p className="empty">No alerts.</p>}
      <ul data-testid="alert-list">
        {alerts.map((a) => (
          <li key={a.id} className={`alert ${a.severity} ${a.state}`} data-testid={`alert-${a.id}`} data-state={a.state}>
            <span className="badge">{a.state}</span>
            <span className="msg">{a.message}</span>
            <time dateTime={new Date(a.endsAt ?? a.startsAt).toISOString()}>{new Date(a.endsAt ?? a.startsAt).toLocaleTimeString()}</time>
          </li>
        ))}
      </ul>
    </aside>
  );
}
