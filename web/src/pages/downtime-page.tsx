// Managers' view: availability, planned vs unplanned downtime, MTBF / MTTR and cost, by week or month, per
// scanner, site or modality; top offenders; CSV export; prints cleanly (print stylesheet hides controls).
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DowntimeFigures, DowntimeGroupBy, DowntimeReport } from '../../../contracts/downtime.js';
import { downtimeCsvUrl, fetchDowntime, type DowntimeFilter } from '../data/downtime.js';
import { WhatIfForm } from '../components/what-if-form.js';
import { DAY } from '../../../contracts/units.js';

const RANGES = { '30d': 30, '90d': 90, '365d': 365 } as const;
type RangeKey = keyof typeof RANGES;
const GROUPS: DowntimeGroupBy[] = ['scanner', 'site', 'modality', 'vendor'];

const h = (v: number | null) => (v === null ? '—' : v.toFixed(1));
const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} %`);
const usd = (v: number) => v.toLocaleString(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

export function DowntimePage() {
  const [params, setParams] = useSearchParams();
  const rangeKey: RangeKey = (params.get('range') as RangeKey) in RANGES ? (params.get('range') as RangeKey) : '30d';
  const groupBy: DowntimeGroupBy = GROUPS.includes(params.get('groupBy') as DowntimeGroupBy) ? (params.get('groupBy') as DowntimeGroupBy) : 'scanner';
  const period = params.get('period') === 'monthly' ? 'monthly' : 'weekly';
  const [report, setReport] = useState<{ data: DowntimeReport | null; error: string }>({ data: null, error: '' });
  const [filter, setFilter] = useState<DowntimeFilter | null>(null);
  useEffect(() => {
    const to = Date.now();
    const f: DowntimeFilter = { from: to - RANGES[rangeKey] * DAY, to, groupBy };
    setFilter(f);
    let cancelled = false;
    fetchDowntime(f).then((data) => { if (!cancelled) setReport({ data, error: '' }); }, (e: unknown) => { if (!cancelled) setReport({ data: null, error: e instanceof Error ? e.message : String(e) }); });
    return () => { cancelled = true; };
  }, [rangeKey, groupBy]);
  const set = (k: string, v: string) => setParams((p) => { p.set(k, v); return p; }, { replace: true });
  const r = report.data;
  return (
    <section className="downtime" aria-label="Downtime and trends">
      <div className="toolbar">
        <h2>Downtime and trends</h2>
        <label>Range <select value={rangeKey} onChange={(e) => set('range', e.target.value)}>{Object.keys(RANGES).map((k) => <option key={k} value={k}>last {k.replace('d', ' days')}</option>)}</select></label>
        <label>Group by <select value={groupBy} onChange={(e) => set('groupBy', e.target.value)} data-testid="downtime-groupby">{GROUPS.map((g) => <option key={g}>{g}</option>)}</select></label>
        <label>Trend <select value={period} onChange={(e) => set('period', e.target.value)}><option value="weekly">by week</option><option value="monthly">by month</option></select></label>
        {filter && <a className="button" href={downtimeCsvUrl(filter)} download data-testid="downtime-csv">Download CSV</a>}
        <button type="button" className="secondary" onClick={() => window.print()}>Print</button>
      </div>
      {report.error && <p className="panel error" role="alert">Could not load downtime: {report.error}</p>}
      {!r && !report.error && <p className="panel muted">Loading…</p>}
      {r && (
        <>
          <Summary total={r.total} />
          <div className="panel">
            <h3>{period === 'weekly' ? 'Weekly' : 'Monthly'} downtime (hours)</h3>
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={(period === 'weekly' ? r.weekly : r.monthly).map((p) => ({ period: p.period, unplanned: +p.unplannedDowntimeHours.toFixed(2), planned: +p.plannedDowntimeHours.toFixed(2) }))}>
                <CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="period" /><YAxis unit=" h" width={60} /><Tooltip /><Legend />
                <Bar dataKey="unplanned" stackId="d" fill="#d62828" isAnimationActive={false} /><Bar dataKey="planned" stackId="d" fill="#1982c4" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <FiguresTable title={`By ${groupBy}`} rows={r.groups} testId="downtime-groups" />
          <FiguresTable title="Top offenders (unplanned downtime)" rows={r.topOffenders} testId="downtime-top" />
          <p className="muted">Availability = (up + degraded) / (up + degraded + down); planned maintenance and time without data are excluded. Cost uses {Object.entries(r.costPerHourUsd).map(([m, c]) => `${m.toUpperCase()} ${usd(c)}/h`).join(', ')}.</p>
        </>
      )}
      <WhatIfForm />
    </section>
  );
}

function Summary({ total }: { total: DowntimeFigures }) {
  const items: [string, string][] = [
    ['Availability', pct(total.availabilityPct)], ['Unplanned downtime', `${h(total.unplannedDowntimeHours)} h`], ['Planned downtime', `${h(total.plannedDowntimeHours)} h`],
    ['Failures', String(total.failures)], ['MTBF', `${h(total.mtbfHours)} h`], ['MTTR', `${h(total.mttrHours)} h`], ['Cost of downtime', usd(total.costUsd)], ['Data coverage', pct(total.dataCoveragePct)],
  ];
  return (
    <div className="kpis" data-testid="downtime-kpis">
      {items.map(([k, v]) => <div key={k} className="panel kpi"><span className="muted">{k}</span><strong>{v}</strong></div>)}
    </div>
  );
}

function FiguresTable({ title, rows, testId }: { title: string; rows: DowntimeReport['groups']; testId: string }) {
  return (
    <div className="panel">
      <h3>{title}</h3>
      {rows.length === 0 ? <p className="muted">No scanners in this range.</p> : (
        <table className="deliveries figures" data-testid={testId}>
          <thead><tr><th>{title.startsWith('Top') ? 'scanner' : 'group'}</th><th>availability</th><th>unplanned h</th><th>planned h</th><th>failures</th><th>MTBF h</th><th>MTTR h</th><th>cost</th></tr></thead>
          <tbody>{rows.map((g) => (
            <tr key={g.key}><td>{g.key}</td><td>{pct(g.availabilityPct)}</td><td>{h(g.unplannedDowntimeHours)}</td><td>{h(g.plannedDowntimeHours)}</td><td>{g.failures}</td><td>{h(g.mtbfHours)}</td><td>{h(g.mttrHours)}</td><td>{usd(g.costUsd)}</td></tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}
