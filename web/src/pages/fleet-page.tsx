import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Alert } from '../../../contracts/alerts.js';
import { subscribeFleetTelemetry, type FleetSnapshot } from '../data/telemetry.js';
import { riskScore, tileState } from '../lib/risk.js';
import { ScannerTile } from '../components/scanner-tile.js';

const EMPTY: readonly Alert[] = [];

export function FleetPage({ openAlerts }: { openAlerts: readonly Alert[] }) {
  const [snap, setSnap] = useState<FleetSnapshot>({ latest: new Map(), history: new Map() });
  useEffect(() => subscribeFleetTelemetry(setSnap), []);
  // Filters live in the URL so a filtered view can be bookmarked and shared.
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const sort = params.get('sort') === 'risk' ? 'risk' : 'name';
  const set = (key: string, value: string) => setParams((p) => { if (value) p.set(key, value); else p.delete(key); return p; }, { replace: true });

  const alertsByScanner = useMemo(() => {
    const m = new Map<string, Alert[]>();
    for (const a of openAlerts) m.set(a.scannerId, [...(m.get(a.scannerId) ?? []), a]);
    return m;
  }, [openAlerts]);

  const rows = [...snap.latest.values()]
    .filter((r) => !q || `${r.scannerId} ${r.site} ${r.modality}`.includes(q.toLowerCase()))
    .map((r) => {
      const alerts = alertsByScanner.get(r.scannerId) ?? EMPTY;
      return { r, alerts, state: tileState(r, alerts), risk: riskScore(r, alerts) };
    })
    .sort((a, b) => (sort === 'risk' ? b.risk - a.risk : 0) || a.r.scannerId.localeCompare(b.r.scannerId));

  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = sort === 'risk' ? 'By risk' : `${row.r.site} · ${row.r.modality.toUpperCase()}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }

  return (
    <section className="fleet" aria-label="Fleet">
      <div className="toolbar">
        <label>Search <input type="search" value={q} placeholder="scanner, site or modality" onChange={(e) => set('q', e.target.value)} data-testid="fleet-search" /></label>
        <label>Sort <select value={sort} onChange={(e) => set('sort', e.target.value === 'risk' ? 'risk' : '')} data-testid="fleet-sort">
          <option value="name">by site and modality</option>
          <option value="risk">by risk</option>
        </select></label>
        <span className="count">{rows.length} of {snap.latest.size} scanners</span>
      </div>
      {snap.latest.size === 0 && <p className="empty" data-testid="fleet-empty">Waiting for the first scanner to report…</p>}
      {[...groups.entries()].map(([group, items]) => (
        <div key={group} className="site">
          <h2>{group}</h2>
          <div className="tiles">
            {items.map(({ r, alerts, state }) => (
              <ScannerTile key={r.scannerId} reading={r} history={snap.history.get(r.scannerId) ?? []} openAlerts={alerts} state={state} />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
