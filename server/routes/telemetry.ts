// Telemetry reads: the latest reading per scanner (from memory) and downsampled series (from InfluxDB).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, LatestQuery, LatestResponse, Ok, RollupBackfillRequest, SeriesQuery, SeriesResponse, type TelemetryReading, type Timestamp } from '../../contracts/index.js';
import { ANY_ROLE, HttpError } from '../auth/guard.js';
import { canSeeSite, type Principal } from '../auth/principal.js';
import type { FleetRegistry } from '../fleet/registry.js';
import { rollupRange, type RollupSettings } from '../telemetry/rollups.js';
import { buildSeriesQuery, chooseStepMs, parseSeries, planSegments } from '../series/series-query.js';
import { InfluxQueryError, type InfluxStore } from '../storage/influx.js';
import { AUDIENCE } from '../../contracts/auth.js';

export interface TelemetryRouteDeps {
  influx: InfluxStore;
  fleet: FleetRegistry;
  latest: () => TelemetryReading[];
  seriesMaxPoints: number;
  /** Absent when the rollups are not maintained (then every query reads raw data). */
  rollup: RollupSettings | undefined;
}

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const tags = ['telemetry'];
const toMs = (t: Timestamp): number => (typeof t === 'number' ? t : Date.parse(t));

export const telemetryRoutes: FastifyPluginAsyncTypebox<TelemetryRouteDeps> = async (app, deps) => {
  app.get('/api/telemetry/latest', { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Latest reading of every scanner', querystring: LatestQuery, response: { 200: LatestResponse, ...errors } } },
    async (req) => {
      const p = req.principal as Principal;
      return deps.latest().filter((r) => canSeeSite(p, r.site) && (!req.query.site || r.site === req.query.site) && (!req.query.scanner || r.scannerId === req.query.scanner));
    });

  app.get('/api/telemetry/series', { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Downsampled series (mean/min/max per bucket)', querystring: SeriesQuery, response: { 200: SeriesResponse, ...errors } } },
    async (req, reply) => {
      const q = req.query;
      const from = toMs(q.from);
      const to = q.to === undefined ? Date.now() : toMs(q.to);
      if (!(to > from)) throw new HttpError(400, '"to" must be after "from"', 'bad_range');
      if (to - from > 20 * 365 * 86_400_000) throw new HttpError(400, 'range is longer than 20 years', 'bad_range');
      const p = req.principal as Principal;
      const site = deps.fleet.scanner(q.scanner)?.site ?? deps.latest().find((r) => r.scannerId === q.scanner)?.site;
      if (p.sites && (!site || !canSeeSite(p, site))) throw new HttpError(404, `scanner ${q.scanner} does not exist`);
      const maxPoints = Math.min(q.maxPoints ?? deps.seriesMaxPoints, deps.seriesMaxPoints);
      const stepMs = chooseStepMs(to - from, maxPoints, (q.step ?? 0) * 1000);
      const metrics = [...new Set(q.metrics.split(','))];
      const r = { database: deps.influx.settings.database, retentionPolicy: deps.influx.settings.retentionPolicy, scanner: q.scanner, metrics, from, to, stepMs, maxPoints };
      try {
        return parseSeries(r, await deps.influx.query(buildSeriesQuery(r, planSegments(from, to, stepMs, Date.now(), deps.rollup !== undefined))));
      } catch (err) {
        if (!(err instanceof InfluxQueryError)) throw err;
        // Said plainly (and logged): a 5xx body would otherwise hide why the chart is empty.
        req.log.warn({ err: err.message, scanner: q.scanner }, 'series query failed in InfluxDB');
        const statusCode = err.kind === 'unreachable' ? 503 : 502;
        return reply.code(statusCode).send({ statusCode, error: statusCode === 503 ? 'Service Unavailable' : 'Bad Gateway', message: err.message, code: `influx_${err.kind}` });
      }
    });

  app.post('/api/telemetry/rollup', {
    config: { roles: AUDIENCE.admins },
    schema: { tags, summary: 'Recompute the hourly rollup for a range (after late data, e.g. a long outage replayed)', body: RollupBackfillRequest, response: { 200: Ok, ...errors } },
  }, async (req) => {
    if (!deps.rollup) throw new HttpError(409, 'rollups are off (influx.rollups = false)', 'rollup_off');
    const from = toMs(req.body.from), to = toMs(req.body.to);
    if (!(to > from) || to - from > 400 * 86_400_000) throw new HttpError(400, '"to" must be after "from", at most 400 days later', 'bad_range');
    await rollupRange(deps.influx, deps.rollup, from, to);
    return { ok: true as const };
  });
};
