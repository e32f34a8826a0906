// The PACS page: per PACS, association health per probe, retrieval latency by study age (now and over
// time), failures by cause over time and storage tiers with their forecast to full. Latest figures come
// from GET /api/pacs and live pacs:derived events; the charts over time from the history API.
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PacsDerived } from '../../../contracts/pacs.js';
import type { PacsHistory } from '../../../contracts/pacs-api.js';
import { fetchPacsHistory, subscribePacs, type PacsState } from '../data/pacs.js';
import { formatTime } from '../lib/format.js';
import { RangePicker, rangeMs, type RangeKey } from '../components/range-picker.js';
import { AGE_LABEL, AGE_ORDER, AssociationOverTime, FailuresOverTime, LatencyOverTime, TierFillForecast } from '../components/pacs-charts.js';

const REFRESH_MS = 15_000;
const WEEK_MS = 7 * 86_400_000;

const fmtBytes = (b: number | null) => (b === null ? '—' : b >= 1e12 ? `${(b / 1e12).toFixed(2)} TB` : b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${(b / 1e6).toFixed(0)} MB`);
const fmtDays = (d: number | null) => (d === null ? 'not filling' : d > 3650 ? '> 10 years' : `${d.toFixed(d < 10 ? 1 : 0)} days`);

interface Histories { probes?: PacsHistory; storage?: PacsHistory; now: number }

/** Probe history over the chosen range; tier usage over at least a week, so growth shows. */
function useHistories(pacsId: string, range: RangeKey): Histories {
  const [h, setH] = useState<Histories>({ now: Date.now() });
  useEffect(() => {
    let live = true;
    const load = () => {
      const now = Date.now();
      const ms = rangeMs(range).ms;
      Promise.all([
        // About 100 buckets: failure counts per bucket stay readable as bars.
        fetchPacsHistory(pacsId, now - ms, now, ['latency', 'failures', 'association'], 100),
        fetchPacsHistory(pacsId, now - Math.max(ms, WEEK_MS), now, ['storage']),
      ]).then(([probes, storage]) => { if (live) setH({ probes, storage, now }); }, () => undefined);
    };
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => { live = false; clearInterval(t); };
  }, [pacsId, range]);
  return h;
}

export function PacsPage() {
  const [state, setState] = useState<PacsState>({ latest: new Map() });
  const [range, setRange] = useState<RangeKey>('15m');
  useEffect(() => subscribePacs(setState), []);
  const all = [...state.latest.values()].sort((a, b) => a.pacsId.localeCompare(b.pacsId));
  if (all.length === 0) return <section className="panel empty" data-testid="pacs-empty">No PACS reported yet. Configure targets under <code>pacs.targets</code> (docs/pacs.md).</section>;
  return (
    <section aria-label="PACS">
      <RangePicker value={range} onChange={setRange} />
      {all.map((d) => <PacsPanel key={d.pacsId} d={d} range={range} />)}
    </section>
  );
}

function Panel({ id, title, hasData, children }: { id: string; title: string; hasData: boolean; children: React.ReactNode }) {
  return <div data-testid={`panel-${id}`} data-has-data={hasData ? 'true' : 'false'}><h3>{title}</h3>{children}</div>;
}

function PacsPanel({ d, range }: { d: PacsDerived; range: RangeKey }) {
  const h = useHistories(d.pacsId, range);
  const probeRange = h.probes ? { from: h.probes.from, to: h.probes.to } : undefined;
  const retrieval = d.latency.filter((l) => l.probe === 'retrieve').sort((a, b) => AGE_ORDER.indexOf(a.ageBucket) - AGE_ORDER.indexOf(b.ageBucket)).map((l) => ({ age: AGE_LABEL[l.ageBucket] ?? l.ageBucket, p50: l.p50Ms, p95: l.p95Ms, max: l.maxMs }));
  const down = d.probes.find((p) => p.probe === 'echo' && !p.lastOk);
  return (
    <div className="panel pacs" data-testid={`pacs-${d.pacsId}`}>
      <header className="panel-header">
        <h2>{d.pacsId}</h2>
        <span className="muted">{d.site} · updated {formatTime(d.ts)}</span>
        <span className={`conn ${down ? 'off' : 'on'}`}>{down ? `C-ECHO failing (${down.lastCause ?? 'unknown'})` : 'reachable'}</span>
      </header>
      <div className="pacs-grid">
        <Panel id="association" title="Association health" hasData={d.probes.length > 0 && (h.probes?.association.length ?? 0) > 0}>
          <table className="deliveries">
            <thead><tr><th>probe</th><th>last</th><th>failures in a row</th><th>attempts</th><th>p50</th><th>p95</th></tr></thead>
            <tbody>{d.probes.map((p) => {
              const l = d.latency.filter((x) => x.probe === p.probe);
              const worst = (k: 'p50Ms' | 'p95Ms') => (l.length ? `${Math.round(Math.max(...l.map((x) => x[k])))} ms` : '—');
              return <tr key={p.probe}><td>{p.probe}</td><td className={p.lastOk ? 'ok' : 'error'}>{p.lastOk ? 'ok' : p.lastCause ?? 'failed'}</td><td>{p.consecutiveFailures}</td><td>{p.attempts}</td><td>{worst('p50Ms')}</td><td>{worst('p95Ms')}</td></tr>;
            })}</tbody>
          </table>
          {h.probes && probeRange ? <AssociationOverTime h={h.probes} range={probeRange} /> : null}
        </Panel>
        <Panel id="latency" title="Retrieval latency by study age (p95 over time)" hasData={(h.probes?.latency.length ?? 0) > 0}>
          {h.probes && probeRange ? <LatencyOverTime h={h.probes} range={probeRange} /> : <p className="muted">Loading…</p>}
          {retrieval.length > 0 ? (
            <ResponsiveContainer width="100%" height={160}>
              <BarChart data={retrieval}><CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="age" /><YAxis unit=" ms" width={70} /><Tooltip /><Legend />
                <Bar dataKey="p50" fill="#2a9d8f" isAnimationActive={false} /><Bar dataKey="p95" fill="#e9c46a" isAnimationActive={false} /><Bar dataKey="max" fill="#d62828" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          ) : null}
        </Panel>
        <Panel id="failures" title="Failures by cause" hasData={(h.probes?.failures.length ?? 0) > 0}>
          {h.probes && probeRange ? <FailuresOverTime h={h.probes} range={probeRange} /> : <p className="muted">Loading…</p>}
        </Panel>
        <Panel id="tiers" title="Storage tiers and forecast to full" hasData={(h.storage?.storage.length ?? 0) > 0 && d.tiers.length > 0}>
          {h.storage ? <TierFillForecast h={h.storage} tiers={d.tiers} now={h.now} /> : <p className="muted">Loading…</p>}
          {d.tiers.map((t) => (
            <div key={t.tier} className="tier" data-testid={`tier-${d.pacsId}-${t.tier}`}>
              <div className="tier-head"><strong>{t.tier}</strong><span>{fmtBytes(t.usedBytes)} of {fmtBytes(t.capacityBytes)}</span></div>
              <div className="bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={t.fillPct ?? 0} aria-label={`${t.tier} fill`}>
                <div className={`fill ${(t.fillPct ?? 0) > 85 ? 'critical' : (t.fillPct ?? 0) > 70 ? 'warning' : ''}`} style={{ width: `${Math.min(100, t.fillPct ?? 0)}%` }} />
              </div>
              <div className="muted">{t.fillPct === null ? 'capacity unknown' : `${t.fillPct.toFixed(1)} % full`} · growth {t.growthBytesPerDay === null ? '—' : `${fmtBytes(t.growthBytesPerDay)}/day`} · full in {fmtDays(t.daysToFull)}{t.daysToFullLow !== null && t.daysToFull !== null ? ` (${fmtDays(t.daysToFullLow)} – ${fmtDays(t.daysToFullHigh)})` : ''}</div>
            </div>
          ))}
        </Panel>
      </div>
    </div>
  );
}
