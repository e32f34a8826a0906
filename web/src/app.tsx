import { useEffect, useState } from 'react';
import { BrowserRouter, NavLink, Navigate, Route, Routes } from 'react-router';
import type { Alert } from '../../contracts/alerts.js';
import type { Me } from '../../contracts/auth.js';
import { fetchMe, logout } from './data/auth.js';
import { subscribeAlerts } from './data/alerts.js';
import { onUnauthorized } from './data/http.js';
import { subscribeConnection, type ConnectionState } from './data/socket.js';
import { navFor } from './lib/nav.js';
import { AlertList } from './components/alert-list.js';
import { AlertsPage } from './pages/alerts-page.js';
import { DowntimePage } from './pages/downtime-page.js';
import { FleetPage } from './pages/fleet-page.js';
import { LoginPage } from './pages/login-page.js';
import { ChangePasswordPage } from './pages/change-password-page.js';
import { PacsPage } from './pages/pacs-page.js';
import { ScannerPage } from './pages/scanner-page.js';
import { WEB_ROUTES } from '../../contracts/web-routes.js';

const CONNECTION_LABEL: Record<ConnectionState, string> = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' };

type Session = { state: 'loading' } | { state: 'anonymous' } | { state: 'error'; message: string } | { state: 'signed-in'; me: Me };

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  useEffect(() => {
    fetchMe().then((me) => setSession(me ? { state: 'signed-in', me } : { state: 'anonymous' }),
      (err: unknown) => setSession({ state: 'error', message: err instanceof Error ? err.message : String(err) }));
    return onUnauthorized(() => setSession({ state: 'anonymous' }));
  }, []);
  if (session.state === 'loading') return <p className="panel empty" data-testid="loading">Loading…</p>;
  if (session.state === 'error') return <p className="panel error" role="alert">Gantry is not reachable: {session.message}</p>;
  // A full reload after login gives the socket and every store a clean start with the new session.
  if (session.state === 'anonymous') return <LoginPage onLoggedIn={() => window.location.reload()} />;
  if (session.me.mustChangePassword) return <ChangePasswordPage username={session.me.username} onChanged={() => window.location.reload()} />;
  return <BrowserRouter><SignedIn me={session.me} /></BrowserRouter>;
}

function SignedIn({ me }: { me: Me }) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  useEffect(() => subscribeAlerts(setAlerts), []);
  useEffect(() => subscribeConnection(setConnection), []);
  const open = alerts.filter((a) => a.state !== 'resolved');
  const nav = navFor(me.role);
  const can = (path: string) => nav.some((n) => n.path === path);
  const canSeeAlerts = can(WEB_ROUTES.alerts);
  return (
    <div className="app">
      <header className="topbar">
        <h1>Gantry</h1>
        <nav aria-label="Main">
          {nav.map((n) => <NavLink key={n.path} to={n.path} end={n.path === '/'}>{n.label}</NavLink>)}
        </nav>
        <span className={`conn ${connection === 'live' ? 'on' : 'off'}`} data-testid="connection" role="status">{CONNECTION_LABEL[connection]}</span>
        <span className="alert-count" data-testid="open-alert-count">{open.length} open alert{open.length === 1 ? '' : 's'}</span>
        <span className="user" data-testid="user">{me.username} ({me.role})
          <button type="button" className="secondary" onClick={() => { void logout().finally(() => window.location.assign('/')); }}>Sign out</button>
        </span>
      </header>
      <main>
        <Routes>
          {/* Where a single sign-on attempt lands when it fails; once signed in there is nothing to show. */}
          <Route path={WEB_ROUTES.login} element={<Navigate to={WEB_ROUTES.fleet} replace />} />
          <Route path={WEB_ROUTES.fleet} element={<div className="layout"><FleetPage openAlerts={open} />{canSeeAlerts && <AlertList alerts={alerts} />}</div>} />
          <Route path={WEB_ROUTES.scanner} element={<ScannerPage alerts={alerts} />} />
          <Route path={WEB_ROUTES.alerts} element={canSeeAlerts ? <AlertsPage alerts={alerts} me={me} /> : <Navigate to={WEB_ROUTES.fleet} replace />} />
          <Route path={WEB_ROUTES.pacs} element={can(WEB_ROUTES.pacs) ? <PacsPage /> : <Navigate to={WEB_ROUTES.fleet} replace />} />
          <Route path={WEB_ROUTES.downtime} element={can(WEB_ROUTES.downtime) ? <DowntimePage /> : <Navigate to={WEB_ROUTES.fleet} replace />} />
          <Route path="*" element={<p className="panel empty">This page does not exist.</p>} />
        </Routes>
      </main>
    </div>
  );
}
