import { useEffect, useState } from 'react';
import type { Alert } from '../../contracts/alerts';
import type { TelemetryReading } from '../../contracts/telemetry';
import { subscribeAlerts } from './data/alerts';
import { subscribeConnection } from './data/socket';
import { subscribeFleetTelemetry } from './data/telemetry';
import { FleetGrid } from './components/fleet-grid';
import { AlertList } from './components/alert-list';

export function App() {
  const [fleet, setFleet] = useState<ReadonlyMap<string, TelemetryReading>>(new Map());
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => subscribeFleetTelemetry(setFleet), []);
  useEffect(() => subscribeAlerts(setAlerts), []);
  useEffect(() => subscribeConnection(setConnected), []);
  const open = alerts.filter((a) => a.state !== 'resolved');
  return (
    <div className="app">
      <header className="topbar">
        <h1>Gantry</h1>
        <span className="subtitle">Imaging fleet — live</span>
        <span className={`conn ${connected ? 'on' : 'off'}`} data-testid="connection">{connected ? 'live' : 'disconnected'}</span>
        <span className="alert-count" data-testid="open-alert-count">{open.length} open alert{open.length === 1 ? '' : 's'}</span>
      </header>
      <main className="layout">
        <FleetGrid fleet={fleet} alerts={open} />
        <AlertList alerts={alerts} />
      </main>
    </div>
  );
}
