import { useState, type FormEvent } from 'react';
import type { Modality } from '../../../contracts/common.js';
import type { Scenario, WhatIfResult } from '../../../contracts/whatif.js';
import { runWhatIf } from '../data/downtime.js';

const MODALITIES: Modality[] = ['mri', 'ct', 'petct', 'xray', 'us'];
type Kind = Scenario['kind'];

function buildScenario(kind: Kind, modality: Modality, amount: number, scannerId: string): Scenario {
  switch (kind) {
    case 'add-scanner': return { kind, modality };
    case 'volume': return { kind, modality, pct: amount };
    case 'scanner-down': return { kind, scannerId, days: amount };
    case 'extended-hours': return { kind, modality, extraHours: amount };
    case 'add-radiologist': return { kind, count: Math.max(1, Math.round(amount)) };
  }
}

export function WhatIfForm() {
  const [site, setSite] = useState('central');
  const [kind, setKind] = useState<Kind>('volume');
  const [modality, setModality] = useState<Modality>('mri');
  const [amount, setAmount] = useState(15);
  const [scannerId, setScannerId] = useState('');
  const [state, setState] = useState<{ busy: boolean; result: WhatIfResult | null; error: string }>({ busy: false, result: null, error: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setState({ busy: true, result: null, error: '' });
    runWhatIf(site, buildScenario(kind, modality, amount, scannerId)).then(
      (result) => setState({ busy: false, result, error: '' }),
      (err: unknown) => setState({ busy: false, result: null, error: err instanceof Error ? err.message : String(err) }));
  };
  const fmt = (v: number | null, unit: string) => (v === null ? '—' : `${v.toFixed(unit === '%' ? 1 : 2)} ${unit}`);
  return (
    <div className="panel whatif">
      <h3>What if…</h3>
      <form className="actions" onSubmit={submit} aria-label="What-if scenario">
        <label>Site <input value={site} onChange={(e) => setSite(e.target.value)} required /></label>
        <label>Change <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="whatif-kind">
          <option value="volume">exam volume (%)</option><option value="add-scanner">add a scanner</option><option value="scanner-down">a scanner down (days)</option>
          <option value="extended-hours">extended hours (h/day)</option><option value="add-radiologist">add radiologists</option>
        </select></label>
        {kind !== 'scanner-down' && kind !== 'add-radiologist' && <label>Modality <select value={modality} onChange={(e) => setModality(e.target.value as Modality)}>{MODALITIES.map((m) => <option key={m} value={m}>{m.toUpperCase()}</option>)}</select></label>}
        {kind === 'scanner-down' && <label>Scanner <input value={scannerId} onChange={(e) => setScannerId(e.target.value)} required /></label>}
        {kind !== 'add-scanner' && <label>Amount <input type="number" value={amount} onChange={(e) => setAmount(Number(e.target.value))} /></label>}
        <button type="submit" disabled={state.busy}>{state.busy ? 'Simulating…' : 'Run'}</button>
      </form>
      {state.error && <p className="error" role="alert">{state.error}</p>}
      {state.result && (
        <table className="deliveries" data-testid="whatif-result">
          <caption className="muted">{state.result.replications} replications × {state.result.days} days, seed {state.result.seed}; 95 % confidence intervals</caption>
          <thead><tr><th>metric</th><th>scope</th><th>today</th><th>scenario</th><th>difference</th></tr></thead>
          <tbody>{state.result.metrics.map((m) => (
            <tr key={`${m.name}-${m.scope}`} className={m.difference.significant ? 'significant' : ''}>
              <td>{m.name}</td><td>{m.scope}</td><td>{fmt(m.baseline.mean, m.unit)}</td><td>{fmt(m.scenario.mean, m.unit)}</td>
              <td>{fmt(m.difference.mean, m.unit)} [{fmt(m.difference.ciLow, m.unit)}, {fmt(m.difference.ciHigh, m.unit)}]{m.difference.significant ? ' *' : ''}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}
