// Stored model output for the scanner page: the anomaly score series and the latest forecasts. Anyone who
// may read telemetry may read these, for the sites they may see.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AnomalySeriesQuery, ErrorBody, PredictionsQuery, PredictionsResponse, SeriesResponse, type Timestamp } from '../../contracts/index.js';
import type { Prediction } from '../../contracts/alert-signals.js';
import { ANY_ROLE, HttpError } from '../auth/guard.js';
import { canSeeSite, type Principal } from '../auth/principal.js';
import { buildSeriesQuery, chooseStepMs, parseSeries, planSegments } from '../series/series-query.js';
import { influxIdent, influxString } from '../storage/influx.js';
import { ANOMALY_MEASUREMENT, PREDICTION_MEASUREMENT } from '../telemetry/line-protocol.js';
import type { TelemetryRouteDeps } from './telemetry.js';

export type ModelRouteDeps = Pick<TelemetryRouteDeps, 'influx' | 'fleet' | 'latest' | 'seriesMaxPoints' | 'rollup'>;

const errors = { '4xx': ErrorBody };
const tags = ['models'];
const toMs = (t: Timestamp): number => (typeof t === 'number' ? t : Date.parse(t));
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** 404 for a scanner a site-scoped user may not see (the same answer as for one that does not exist). */
function checkScanner(deps: ModelRouteDeps, p: Principal, scanner: string): void {
  const site = deps.fleet.scanner(scanner)?.site ?? deps.latest().find((r) => r.scannerId === scanner)?.site;
  if (p.sites && (!site || !canSeeSite(p, site))) throw new HttpError(404, `scanner ${scanner} does not exist`);
}

/** Latest point per metric from `SELECT * … GROUP BY "metric" ORDER BY time DESC LIMIT 1`; withdrawn forecasts dropped. */
export function parsePredictions(scanner: string, rows: { tags?: Record<string, string>; columns: string[]; values: unknown[][] }[]): Prediction[] {
  const out: Prediction[] = [];
  for (const s of rows) {
    const row = s.values[0];
    const metric = s.tags?.metric;
    if (!row || !metric) continue;
    const at = (c: string) => row[s.columns.indexOf(c)];
    const eta = num(at('eta_ms'));
    if (num(at('trending')) !== 1 || eta === undefined) continue;
    const site = at('site'), modality = at('modality');
    if (typeof site !== 'string' || typeof modality !== 'string') continue;
    const low = num(at('low_ms')), high = num(at('high_ms'));
    out.push({
      scannerId: scanner, site, modality: modality as Prediction['modality'], metric, etaMs: eta, ts: Number(row[0]),
      ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}),
    });
  }
  return out;
}

export const modelRoutes: FastifyPluginAsyncTypebox<ModelRouteDeps> = async (app, deps) => {
  app.get('/api/models/anomaly-series', {
    config: { roles: ANY_ROLE },
    schema: { tags, summary: 'Anomaly score of one scanner over a range (mean/min/max per bucket) and its threshold', querystring: AnomalySeriesQuery, response: { 200: SeriesResponse, ...errors } },
  }, async (req) => {
    const q = req.query;
    const from = toMs(q.from);
    const to = q.to === undefined ? Date.now() : toMs(q.to);
    if (!(to > from)) throw new HttpError(400, '"to" must be after "from"', 'bad_range');
    if (to - from > 400 * 86_400_000) throw new HttpError(400, 'range is longer than 400 days', 'bad_range');
    checkScanner(deps, req.principal as Principal, q.scanner);
    const maxPoints = Math.min(q.maxPoints ?? deps.seriesMaxPoints, deps.seriesMaxPoints);
    const stepMs = chooseStepMs(to - from, maxPoints);
    const r = {
      database: deps.influx.settings.database, retentionPolicy: deps.influx.settings.retentionPolicy, measurement: ANOMALY_MEASUREMENT,
      scanner: q.scanner, metrics: ['score', 'threshold'], from, to, stepMs, maxPoints,
    };
    // Long ranges read the hourly rollup of the scores, like telemetry.
    return parseSeries(r, await deps.influx.query(buildSeriesQuery(r, planSegments(from, to, stepMs, Date.now(), deps.rollup !== undefined))));
  });

  app.get('/api/models/predictions', {
    config: { roles: ANY_ROLE },
    schema: { tags, summary: 'Latest time-to-threshold forecast per metric of one scanner', querystring: PredictionsQuery, response: { 200: PredictionsResponse, ...errors } },
  }, async (req) => {
    const q = req.query;
    checkScanner(deps, req.principal as Principal, q.scanner);
    const s = deps.influx.settings;
    const since = Date.now() - (q.within ?? 7) * 86_400_000;
    const sql = `SELECT * FROM ${influxIdent(s.database)}.${influxIdent(s.retentionPolicy)}.${influxIdent(PREDICTION_MEASUREMENT)}`
      + ` WHERE "scanner" = ${influxString(q.scanner)} AND time >= ${since}ms GROUP BY "metric" ORDER BY time DESC LIMIT 1`;
    const [rows = []] = await deps.influx.query(sql);
    return parsePredictions(q.scanner, rows);
  });
};
