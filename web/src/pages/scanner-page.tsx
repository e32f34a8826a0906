import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Alert } from '../../../contracts/alerts.js';
import type { MaintenanceWindow } from '../../../contracts/alert-silences.js';
import type { StateInterval } from '../../../contracts/downtime.js';
import { metricsFor } from '../../../contracts/metric-catalog.js';
import type { SeriesResponse } from '../../../contracts/series.js';
import { fetchMaintenanceWindows, fetchScannerAlerts } from '../data/alerts.js';
import { fetchTimeline } from '../data/downtime.js';
import { ApiError } from '../data/http.js';
import { fetchAnomalySeries, loadPredictions, subscribeAnomalies, subscribePredictions, type AnomalySnapshot, type PredictionSnapshot } from '../data/models.js';
import { fetchSeries } from '../data/series.js';
import { subscribeFleetTelemetry, type FleetSnapshot } from '../data/telemetry.js';
import { formatShortDateTime, formatTime, formatValue } from '../lib/format.js';
import { alertMarkers, maintenanceSpans } from '../lib/markers.js';
import { forecastPoints, timeToFailure } from '../lib/predictions.js';
import { AlertList } from '../components/alert-list.js';
import { AnomalyChart, type ScorePoint } from '../components/anomaly-chart.js';
import { MetricChart, type ChartPoint } from '../components/metric-chart.js';
import { RangePicker, rangeMs } from '../components/range-picker.js';
import { StatusTimeline } from '../components/status-timeline.js';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** Stored context (timeline, alert history, maintenance windows) is re-read this often while the page is open. */
const CONTEXT_REFRESH_MS = 15_000;

interface Context {
  to: number;
  timeline?: StateInterval[] | undefined;
  timelineError?: string;
  history: Alert[];
  windows: MaintenanceWindow[];
  anomaly?: SeriesResponse | undefined;
}

export function ScannerPage({ alerts }: { alerts: readonly Alert[] }) {
  const { scannerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [snap, setSnap] = useState<FleetSnapshot>({ latest: new Map(), history: new Map(), version: 0 });
  const [scores, setScores] = useState<AnomalySnapshot>({ scores: new Map(), version: 0 });
  const [forecasts, setForecasts] = useState<PredictionSnapshot>({ predictions: new Map(), version: 0 });
  const [series, setSeries] = useState<{ data: SeriesResponse | null; to: number; error: string; loading: boolean }>({ data: null, to: 0, error: '', loading: false });
  const [context, setContext] = useState<Context>({ to: 0, history: [], windows: [] });
  useEffect(() => subscribeFleetTelemetry(setSnap), []);
  useEffect(() => subscribeAnomalies(setScores), []);
  useEffect(() => subscribePredictions(setForecasts), []);
  useEffect(() => { loadPredictions(scannerId).catch(() => undefined); }, [scannerId]);
  const reading = snap.latest.get(scannerId);
  const metrics = reading ? metricsFor(reading.modality) : [];
  const metricName = params.get('metric') ?? metrics.find((m) => m.key)?.name ?? metrics[0]?.name ?? '';
  const metric = metrics.find((m) => m.name === metricName);
  const range = rangeMs(params.get('range'));
  const live = range.key === '15m';

  useEffect(() => {
    if (!metricName) return;
    let cancelled = false;
    const to = Date.now();
    setSeries((s) => ({ ...s, loading: true, error: '' }));
    fetchSeries(scannerId, [metricName], to - range.ms, to).then(
      (data) => { if (!cancelled) setSeries({ data, to, error: '', loading: false }); },
      (err: unknown) => { if (!cancelled) setSeries({ data: null, to, error: message(err), loading: false }); },
    );
    return () => { cancelled = true; };
  }, [scannerId, metricName, range.ms]);

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const to = Date.now(), from = to - range.ms;
      const [timeline, history, windows, anomaly] = await Promise.allSettled([
        fetchTimeline(scannerId, from, to), fetchScannerAlerts(scannerId), fetchMaintenanceWindows(), fetchAnomalySeries(scannerId, from, to),
      ]);
      if (cancelled) return;
      const noHistory = timeline.status === 'rejected' && timeline.reason instanceof ApiError && timeline.reason.status === 404;
      setContext({
        to,
        timeline: timeline.status === 'fulfilled' ? timeline.value.intervals : noHistory ? [] : undefined,
        ...(timeline.status === 'rejected' && !noHistory ? { timelineError: message(timeline.reason) } : {}),
        history: history.status === 'fulfilled' ? history.value : [],
        windows: windows.status === 'fulfilled' ? windows.value : [],
        anomaly: anomaly.status === 'fulfilled' ? anomaly.value : undefined,
      });
    };
    void load();
    const timer = setInterval(() => { void load(); }, CONTEXT_REFRESH_MS);
    return () => { cancelled = true; clearInterval(timer); };
  }, [scannerId, range.ms]);

  if (!reading) {
    return <section className="panel"><p className="empty">No data from <strong>{scannerId}</strong> yet. <Link to="/">Back to the fleet</Link></p></section>;
  }
  const setParam = (k: string, v: string) => setParams((p) => { p.set(k, v); return p; }, { replace: true });
  const now = Date.now();
  const from = now - range.ms;

  // Stored buckets up to when they were fetched, then the live readings since.
  const points: ChartPoint[] = (series.data?.series.find((s) => s.metric === metricName)?.points ?? [])
    .map((p): ChartPoint => ({ ts: p.ts, mean: p.mean, band: p.min !== null && p.max !== null ? [p.min, p.max] : null }));
  for (const h of snap.history.get(scannerId) ?? []) {
    const v = h.metrics[metricName];
    if (h.ts > series.to && h.ts >= from && v !== undefined) points.push({ ts: h.ts, mean: v, band: null });
  }
  const mine = forecasts.predictions.get(scannerId);
  const forMetric = mine?.get(metricName);
  const ttf = forMetric ? timeToFailure(forMetric, reading, now) : undefined;
  const current = reading.metrics[metricName];
  const forecast = ttf && current !== undefined ? forecastPoints(reading.ts, current, ttf, now + range.ms / 2) : [];
  for (const f of forecast) points.push(f);
  const end = Math.max(now, forecast[forecast.length - 1]?.ts ?? now);

  const scorePoints: ScorePoint[] = (context.anomaly?.series.find((s) => s.metric === 'score')?.points ?? [])
    .map((p) => ({ ts: p.ts, score: p.mean, band: p.min !== null && p.max !== null ? [p.min, p.max] : null }));
  const liveScores = scores.scores.get(scannerId) ?? [];
  for (const s of liveScores) if (s.ts > context.to && s.ts >= from) scorePoints.push({ ts: s.ts, score: s.score, band: null });
  const threshold = liveScores[liveScores.length - 1]?.threshold ?? context.anomaly?.series.find((s) => s.metric === 'threshold')?.points.at(-1)?.mean ?? undefined;

  const byId = new Map<string, Alert>();
  for (const a of context.history) byId.set(a.id, a);
  for (const a of alerts) if (a.scannerId === scannerId) byId.set(a.id, a);
  const history = [...byId.values()].sort((a, b) => b.startsAt - a.startsAt);
  const markers = alertMarkers(history, from, end);
  // The last stored interval runs on to now: the state holds until a change arrives.
  const timeline = context.timeline?.map((iv) => (iv.end >= context.to - 1000 ? { ...iv, end: now } : iv));
  const maintenance = maintenanceSpans(timeline ?? [], context.windows, reading, from, end);
  const tickFormat = range.ms > 86_400_000 ? formatShortDateTime : formatTime;
  const allForecasts = [...(mine?.values() ?? [])].map((p) => timeToFailure(p, reading, now)).filter((t) => t !== undefined);

  return (
    <section className="scanner-page" aria-label={`Scanner ${scannerId}`}>
      <header className="panel-header">
        <h2>{scannerId}</h2>
        <span className="modality">{reading.modality.toUpperCase()}</span>
        <span className="muted">{reading.site} · last reading {formatTime(reading.ts)}</span>
      </header>
      <div className="panel">
        <div className="toolbar">
          <label>Metric <select value={metricName} onChange={(e) => setParam('metric', e.target.value)} data-testid="metric-select">
            {metrics.map((m) => <option key={m.name} value={m.name}>{m.label} ({m.unit})</option>)}
          </select></label>
          <RangePicker value={range.key} onChange={(k) => setParam('range', k)} />
          <span className="muted" data-testid="series-status">
            {series.loading ? 'loading…' : series.error ? `error: ${series.error}` : series.data ? `${live ? 'live · ' : ''}${series.data.series[0]?.points.length ?? 0} buckets of ${Math.round(series.data.stepMs / 1000)} s` : ''}
          </span>
        </div>
        {allForecasts.length > 0 && (
          <ul className="forecasts" data-testid="forecasts">
            {allForecasts.map((t) => (
              <li key={t.metric.name}>
                <button type="button" className={t.metric.name === metricName ? 'ttf-button current' : 'ttf-button'} title={t.detail} onClick={() => setParam('metric', t.metric.name)}>{t.text}</button>
              </li>
            ))}
          </ul>
        )}
        <div className="chart" data-testid="scanner-chart" data-points={points.length} data-alert-markers={markers.length} data-maintenance-markers={maintenance.length} data-forecast={forecast.length > 0}>
          {points.length === 0 && !series.loading ? <p className="empty">No data in this range.</p> : (
            <MetricChart points={points} domain={[from, end]} metric={metric} alerts={markers} maintenance={maintenance} tickFormat={tickFormat} live={live} />
          )}
        </div>
        <p className="chart-legend muted">
          <span className="key line" /> {live ? 'value' : 'mean, with min–max band'}
          {forecast.length > 0 && <><span className="key forecast" /> forecast with its interval</>}
          <span className="key alert" /> alert raised <span className="key maintenance" /> maintenance
        </p>
        <h3 className="chart-title">Anomaly score</h3>
        <div className="chart anomaly-chart" data-testid="anomaly-chart" data-points={scorePoints.length}>
          {scorePoints.length === 0 ? <p className="empty">No anomaly scores in this range.</p> : <AnomalyChart points={scorePoints} domain={[from, end]} threshold={threshold} tickFormat={tickFormat} />}
        </div>
        <h3 className="chart-title">Status</h3>
        <StatusTimeline intervals={timeline} from={from} to={now} axisEnd={end} error={context.timelineError} />
        <p className="muted">{metric?.meaning}</p>
      </div>
      <div className="panel">
        <h3>Current values</h3>
        <dl className="values">
          {metrics.map((m) => (
            <div key={m.name} className="metric"><dt>{m.label}</dt><dd>{formatValue(reading.metrics[m.name], m.unit)}</dd></div>
          ))}
        </dl>
      </div>
      <AlertList alerts={history} title="Alert history of this scanner" />
    </section>
  );
}
