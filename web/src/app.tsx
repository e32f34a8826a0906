import { useEffect, useState } from 'react';
import { BrowserRouter, NavLink, Route, Routes } from 'react-router';
import type { Alert } from '../../contracts/alerts';
import { subscribeAlerts } from './data/alerts';
import { subscribeConnection } from './data/socket';
import { AlertList } from './components/alert-list';
import { FleetPage } from './pages/fleet-page';
import { ScannerPage } from './pages/scanner-page';

export function App() {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => subscribeAlerts(setAlerts), []);
  useEffect(() => subscribeConnection(setConnected), []);
  const open = alerts.filter((a) => a.state !== 'resolved');
  return (
    <BrowserRouter>
      <div className="app">
        <header className="topbar">
          <h1>Gantry</h1>
          <nav aria-label="Main">
            <NavLink to="/" end>Fleet</NavLink>
            <NavLink to="/alerts">Alerts</NavLink>
          </nav>
          <span className={`conn ${connected ? 'on' : 'off'}`} data-testid="connection">{connected ? 'live' : 'disconnected'}</span>
          <span className="alert-count" data-testid="open-alert-count">{open.length} open alert{open.length === 1 ? '' : 's'}</span>
        </header>
        <main>
          <Routes>
            <Route path="/" element={<div className="layout"><FleetPage openAlerts={open} /><AlertList alerts={alerts} /></div>} />
            <Route path="/scanners/:scannerId" element={<ScannerPage alerts={alerts} />} />
            <Route path="/alerts" element={<AlertList alerts={alerts} />} />
            <Route path="*" element={<p className="panel empty">This page does not exist.</p>} />
          </Routes>
        </main>
      </div>
    </BrowserRouter>
  );
}
