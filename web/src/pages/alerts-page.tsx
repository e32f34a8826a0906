// The alert inbox of IT and biomedical engineers: open alerts first, acknowledge with a comment, silence,
// and see escalation and notification delivery. New alerts get a short highlight and are announced politely
// to screen readers, without stealing focus.
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Alert, AlertDetail } from '../../../contracts/alerts.js';
import type { Me } from '../../../contracts/auth.js';
import { acknowledgeAlert, fetchAlertDetail, silenceAlert } from '../data/alerts.js';
import { formatDateTime } from '../lib/format.js';
import { scannerPath } from '../../../contracts/web-routes.js';

const ORDER: Record<Alert['state'], number> = { firing: 0, pending: 1, acknowledged: 2, resolved: 3 };

export function AlertsPage({ alerts, me }: { alerts: readonly Alert[]; me: Me }) {
  const [params, setParams] = useSearchParams();
  const show = params.get('show') === 'all' ? 'all' : 'open';
  const selected = params.get('alert');
  const seen = useRef<Set<string> | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const ids = new Set(alerts.map((a) => a.id));
    if (seen.current) {
      const added = [...ids].filter((id) => !seen.current?.has(id));
      if (added.length) {
        setFresh(new Set(added));
        const t = setTimeout(() => setFresh(new Set()), 6000);
        seen.current = ids;
        return () => clearTimeout(t);
      }
    }
    seen.current = ids;
    return undefined;
  }, [alerts]);
  const list = alerts.filter((a) => show === 'all' || a.state !== 'resolved')
    .slice().sort((a, b) => ORDER[a.state] - ORDER[b.state] || (b.updatedAt ?? b.startsAt) - (a.updatedAt ?? a.startsAt));
  const canAct = me.role !== 'manager' && me.role !== 'viewer';
  return (
    <section className="inbox" aria-label="Alert inbox">
      <div className="toolbar">
        <h2>Alerts</h2>
        <label><input type="checkbox" checked={show === 'all'} onChange={(e) => setParams((p) => { if (e.target.checked) p.set('show', 'all'); else p.delete('show'); return p; })} /> include resolved</label>
        <span className="muted" aria-live="polite">{fresh.size > 0 ? `${fresh.size} new alert${fresh.size === 1 ? '' : 's'}` : ''}</span>
      </div>
      {list.length === 0 && <p className="panel empty">No {show === 'open' ? 'open ' : ''}alerts.</p>}
      <ul className="inbox-list">
        {list.map((a) => (
          <li key={a.id} className={`inbox-item ${a.severity} ${a.state} ${fresh.has(a.id) ? 'fresh' : ''}`} data-testid={`inbox-${a.id}`} data-state={a.state}>
            <button type="button" className="row" aria-expanded={selected === a.id} onClick={() => setParams((p) => { if (selected === a.id) p.delete('alert'); else p.set('alert', a.id); return p; })}>
              <span className="badge">{a.state}</span>
              <span className={`sev ${a.severity}`}>{a.severity}</span>
              <span className="msg">{a.title ?? a.message}</span>
              <span className="muted">{a.scannerId} · {a.site}</span>
              <time className="muted">{formatDateTime(a.firedAt ?? a.startsAt)}</time>
              {a.silenced && <span className="tag">silenced</span>}
              {a.maintenance && <span className="tag">maintenance</span>}
              {a.flapping && <span className="tag">flapping</span>}
            </button>
            {selected === a.id && <AlertDetailView alert={a} canAct={canAct} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AlertDetailView({ alert, canAct }: { alert: Alert; canAct: boolean }) {
  const [detail, setDetail] = useState<AlertDetail | null>(null);
  const [comment, setComment] = useState('');
  const [hours, setHours] = useState(4);
  const [status, setStatus] = useState('');
  useEffect(() => {
    let cancelled = false;
    fetchAlertDetail(alert.id).then((d) => { if (!cancelled) setDetail(d); }, (e: unknown) => { if (!cancelled) setStatus(String(e)); });
    return () => { cancelled = true; };
  }, [alert.id, alert.state, alert.updatedAt]);
  const act = (p: Promise<unknown>, done: string) => p.then(() => setStatus(done), (e: unknown) => setStatus(e instanceof Error ? e.message : String(e)));
  return (
    <div className="detail" data-testid="alert-detail">
      <p>{alert.message}</p>
      <dl className="facts">
        <dt>Scanner</dt><dd><Link to={scannerPath(alert.scannerId)}>{alert.scannerId}</Link> ({alert.site})</dd>
        <dt>Since</dt><dd>{formatDateTime(alert.startsAt)}</dd>
        {alert.ackedBy && <><dt>Acknowledged</dt><dd data-testid="acked-by">by {alert.ackedBy}{alert.ackedAt ? ` at ${formatDateTime(alert.ackedAt)}` : ''}{alert.ackComment ? `: “${alert.ackComment}”` : ''}</dd></>}
        {alert.escalatedTo && alert.escalatedTo.length > 0 && <><dt>Escalated to</dt><dd>{alert.escalatedTo.join(', ')}</dd></>}
        {alert.prediction?.etaMs != null && <><dt>Prediction</dt><dd>{alert.prediction.metric} reaches its limit in ~{Math.round(alert.prediction.etaMs / 3_600_000)} h</dd></>}
      </dl>
      {canAct && alert.state !== 'resolved' && (
        <div className="actions">
          <label>Comment <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="what you are doing about it" data-testid="ack-comment" /></label>
          {alert.state !== 'acknowledged' && <button type="button" data-testid="ack-button" onClick={() => void act(acknowledgeAlert(alert.id, comment), 'Acknowledged.')}>Acknowledge</button>}
          <label>Silence for <input type="number" min={1} max={168} value={hours} onChange={(e) => setHours(Number(e.target.value))} /> h</label>
          <button type="button" className="secondary" onClick={() => void act(silenceAlert(alert, Date.now() + hours * 3_600_000, comment), `Silenced for ${hours} h.`)}>Silence</button>
        </div>
      )}
      {status && <p className="muted" role="status">{status}</p>}
      <h4>Notifications</h4>
      {!detail ? <p className="muted">loading…</p> : detail.deliveries.length === 0 ? <p className="muted">None sent.</p> : (
        <table className="deliveries">
          <thead><tr><th>time</th><th>channel</th><th>reason</th><th>attempt</th><th>result</th></tr></thead>
          <tbody>{detail.deliveries.map((d, i) => (
            <tr key={i}><td>{formatDateTime(d.ts)}</td><td>{d.channelId} ({d.channelType})</td><td>{d.reason}</td><td>{d.attempt}</td><td className={d.ok ? 'ok' : 'error'}>{d.ok ? 'delivered' : 'failed'}: {d.detail}</td></tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}
