import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Alert } from '../../../contracts/alerts.js';
import { subscribeFleetTelemetry, type FleetSnapshot } from '../data/telemetry.js';
import { subscribeAnomalies, subscribePredictions, type AnomalySnapshot, type PredictionSnapshot } from '../data/models.js';
import { soonestTimeToFailure } from '../lib/predictions.js';
import { riskScore, tileState } from '../lib/risk.js';
import { ScannerTile, type ScannerTileProps } from '../components/scanner-tile.js';
import { useVisibleSet } from '../components/use-visible-set.js';

type LiveProps = Pick<ScannerTileProps, 'reading' | 'history' | 'scores' | 'predictions'>;

const EMPTY: readonly Alert[] = [];

export function FleetPage({ openAlerts }: { openAlerts: readonly Alert[] }) {
  const [snap, setSnap] = useState<FleetSnapshot>({ latest: new Map(), history: new Map(), version: 0 });
  const [anomalies, setAnomalies] = useState<AnomalySnapshot>({ scores: new Map(), version: 0 });
  const [forecasts, setForecasts] = useState<PredictionSnapshot>({ predictions: new Map(), version: 0 });
  useEffect(() => subscribeFleetTelemetry(setSnap), []);
  useEffect(() => subscribeAnomalies(setAnomalies), []);
  useEffect(() => subscribePredictions(setForecasts), []);
  const { visible, observe } = useVisibleSet();
  // Live data per tile as last rendered: a tile out of view gets the same objects again, so memo skips it.
  const shown = useRef(new Map<string, LiveProps>());
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

  const now = Date.now();
  const needle = q.toLowerCase();
  const rows = [...snap.latest.values()]
    .filter((r) => !needle || `${r.scannerId} ${r.site} ${r.modality}`.includes(needle))
    .map((r) => {
      const alerts = alertsByScanner.get(r.scannerId) ?? EMPTY;
      if (sort !== 'risk') return { r, alerts, state: tileState(r, alerts), risk: 0 };
      const ttf = soonestTimeToFailure(forecasts.predictions.get(r.scannerId), r, now);
      const scores = anomalies.scores.get(r.scannerId);
      const last = scores?.[scores.length - 1];
      return { r, alerts, state: tileState(r, alerts), risk: riskScore(r, alerts, { timeToFailureMs: ttf?.remainingMs, anomalous: last !== undefined && last.score >= last.threshold }) };
    })
    .sort((a, b) => (sort === 'risk' ? b.risk - a.risk : 0) || a.r.scannerId.localeCompare(b.r.scannerId));

  const liveProps = (r: (typeof rows)[number]['r']): LiveProps => {
    const prev = shown.current.get(r.scannerId);
    if (prev && !visible.has(r.scannerId)) return prev;
    const next = { reading: r, history: snap.history.get(r.scannerId) ?? EMPTY_HISTORY, scores: anomalies.scores.get(r.scannerId), predictions: forecasts.predictions.get(r.scannerId) };
    shown.current.set(r.scannerId, next);
    return next;
  };

  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = sort === 'risk' ? 'By risk' : `${row.r.site} · ${row.r.modality.toUpperCase()}`;
    const g = groups.get(key);
    if (g) g.push(row); else groups.set(key, [row]);
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
            {items.map(({ r, alerts, state }) => <ScannerTile key={r.scannerId} {...liveProps(r)} openAlerts={alerts} state={state} observe={observe} />)}
          </div>
        </div>
      ))}
    </section>
  );
}

const EMPTY_HISTORY: readonly never[] = [];
