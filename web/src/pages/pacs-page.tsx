import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PacsDerived } from '../../../contracts/pacs.js';
import { subscribePacs, type PacsState } from '../data/pacs.js';
import { formatTime } from '../lib/format.js';

const CAUSE_COLOURS = ['#d62828', '#f77f00', '#fcbf49', '#6a4c93', '#1982c4', '#8ac926', '#ff595e', '#4a5568', '#2a9d8f'];
const AGE_LABEL: Record<string, string> = { lt_7d: '< 7 days', lt_90d: '< 90 days', lt_1y: '< 1 year', lt_3y: '< 3 years', ge_3y: '≥ 3 years', unknown: 'unknown age', none: '—' };

const fmtBytes = (b: number | null) => (b === null ? '—' : b >= 1e12 ? `${(b / 1e12).toFixed(2)} TB` : b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${(b / 1e6).toFixed(0)} MB`);
const fmtDays = (d: number | null) => (d === null ? 'not filling' : d > 3650 ? '> 10 years' : `${d.toFixed(d < 10 ? 1 : 0)} days`);

export function PacsPage() {
  const [state, setState] = useState<PacsState>({ latest: new Map(), failureHistory: new Map() });
  useEffect(() => subscribePacs(setState), []);
  const all = [...state.latest.values()].sort((a, b) => a.pacsId.localeCompare(b.pacsId));
  if (all.length === 0) return <section className="panel empty" data-testid="pacs-empty">No PACS reported yet. Configure targets under <code>pacs.targets</code> (docs/pacs.md).</section>;
  return <section aria-label="PACS">{all.map((d) => <PacsPanel key={d.pacsId} d={d} history={state.failureHistory.get(d.pacsId) ?? []} />)}</section>;
}

function PacsPanel({ d, history }: { d: PacsDerived; history: PacsState['failureHistory'] extends ReadonlyMap<string, infer H> ? H : never }) {
  const retrieval = d.latency.filter((l) => l.probe === 'retrieve').map((l) => ({ age: AGE_LABEL[l.ageBucket] ?? l.ageBucket, p50: l.p50Ms, p95: l.p95Ms, max: l.maxMs, n: l.count }));
  const causes = [...new Set(history.flatMap((h) => Object.keys(h.byCause)))];
  const down = d.probes.find((p) => p.probe === 'echo' && !p.lastOk);
  return (
    <div className="panel pacs" data-testid={`pacs-${d.pacsId}`}>
      <header className="panel-header">
        <h2>{d.pacsId}</h2>
        <span className="muted">{d.site} · updated {formatTime(d.ts)}</span>
        <span className={`conn ${down ? 'off' : 'on'}`}>{down ? `C-ECHO failing (${down.lastCause ?? 'unknown'})` : 'reachable'}</span>
      </header>
      <div className="pacs-grid">
        <div>
          <h3>Probes</h3>
          <table className="deliveries">
            <thead><tr><th>probe</th><th>last</th><th>failures in a row</th><th>attempts</th><th>p50</th><th>p95</th><th>max</th></tr></thead>
            <tbody>{d.probes.map((p) => {
              const l = d.latency.filter((x) => x.probe === p.probe);
              const worst = (k: 'p50Ms' | 'p95Ms' | 'maxMs') => (l.length ? `${Math.round(Math.max(...l.map((x) => x[k])))} ms` : '—');
              return <tr key={p.probe}><td>{p.probe}</td><td className={p.lastOk ? 'ok' : 'error'}>{p.lastOk ? 'ok' : p.lastCause ?? 'failed'}</td><td>{p.consecutiveFailures}</td><td>{p.attempts}</td><td>{worst('p50Ms')}</td><td>{worst('p95Ms')}</td><td>{worst('maxMs')}</td></tr>;
            })}</tbody>
          </table>
        </div>
        <div>
          <h3>Retrieval latency by study age</h3>
          {retrieval.length === 0 ? <p className="muted">No canary studies configured.</p> : (
            <ResponsiveContainer width="100%" height={200}>
              <BarChart data={retrieval}><CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="age" /><YAxis unit=" ms" width={70} /><Tooltip /><Legend />
                <Bar dataKey="p50" fill="#2a9d8f" isAnimationActive={false} /><Bar dataKey="p95" fill="#e9c46a" isAnimationActive={false} /><Bar dataKey="max" fill="#d62828" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          )}
        </div>
        <div>
          <h3>Association failures by cause</h3>
          {causes.length === 0 ? <p className="muted">No failures in the window.</p> : (
            <ResponsiveContainer width="100%" height={200}>
              <LineChart data={history.map((h) => ({ ts: h.ts, ...h.byCause }))}><CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="ts" type="number" domain={['dataMin', 'dataMax']} tickFormatter={formatTime} /><YAxis allowDecimals={false} width={40} /><Tooltip labelFormatter={(t) => formatTime(Number(t))} /><Legend />
                {causes.map((c, i) => <Line key={c} dataKey={c} stroke={CAUSE_COLOURS[i % CAUSE_COLOURS.length]} dot={false} isAnimationActive={false} />)}
              </LineChart>
            </ResponsiveContainer>
          )}
        </div>
        <div>
          <h3>Storage tiers</h3>
          {d.tiers.map((t) => (
            <div key={t.tier} className="tier" data-testid={`tier-${d.pacsId}-${t.tier}`}>
              <div className="tier-head"><strong>{t.tier}</strong><span>{fmtBytes(t.usedBytes)} of {fmtBytes(t.capacityBytes)}</span></div>
              <div className="bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={t.fillPct ?? 0} aria-label={`${t.tier} fill`}>
                <div className={`fill ${(t.fillPct ?? 0) > 85 ? 'critical' : (t.fillPct ?? 0) > 70 ? 'warning' : ''}`} style={{ width: `${Math.min(100, t.fillPct ?? 0)}%` }} />
              </div>
              <div className="muted">{t.fillPct === null ? 'capacity unknown' : `${t.fillPct.toFixed(1)} % full`} · growth {t.growthBytesPerDay === null ? '—' : `${fmtBytes(t.growthBytesPerDay)}/day`} · full in {fmtDays(t.daysToFull)}{t.daysToFullLow !== null && t.daysToFull !== null ? ` (${fmtDays(t.daysToFullLow)} – ${fmtDays(t.daysToFullHigh)})` : ''}</div>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
