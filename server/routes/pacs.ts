// PACS reads: the latest derived signals of every PACS the caller may see, and one PACS's history from
// InfluxDB. PACS health is IT's domain (as its Socket.IO events and dashboard page are): admin and it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, Slug, type Timestamp } from '../../contracts/index.js';
import type { PacsDerived } from '../../contracts/pacs.js';
import { PACS_HISTORY_SECTIONS, PacsHistory, PacsHistoryQuery, PacsListResponse } from '../../contracts/pacs-api.js';
import { Type } from '@sinclair/typebox';
import { HttpError } from '../auth/guard.js';
import { canSeeSite, type Principal } from '../auth/principal.js';
import { chooseStepMs } from '../series/series-query.js';
import { buildPacsHistoryQuery, parsePacsHistory, type PacsHistorySection } from '../pacs/history-query.js';
import type { InfluxStore } from '../storage/influx.js';

export interface PacsRouteDeps {
  influx: InfluxStore;
  /** Latest derived signals per PACS (the pipeline's snapshot). */
  latest: () => PacsDerived[];
  /** Site of every PACS Gantry knows (configured, simulated or pushed). */
  siteOf: (pacsId: string) => string | undefined;
  seriesMaxPoints: number;
}

const PACS_ROLES = ['admin', 'it'] as const;
const errors = { '4xx': ErrorBody };
const tags = ['pacs'];
const toMs = (t: Timestamp): number => (typeof t === 'number' ? t : Date.parse(t));
const DEFAULT_POINTS = 300;

export const pacsRoutes: FastifyPluginAsyncTypebox<PacsRouteDeps> = async (app, deps) => {
  app.get('/api/pacs', { config: { roles: PACS_ROLES }, schema: { tags, summary: 'Latest derived signals of every PACS (tier forecast, failures by cause, latency by study age, probe state)', response: { 200: PacsListResponse, ...errors } } },
    async (req) => {
      const p = req.principal as Principal;
      return deps.latest().filter((d) => canSeeSite(p, d.site)).sort((a, b) => a.pacsId.localeCompare(b.pacsId));
    });

  app.get('/api/pacs/:pacsId/history', {
    config: { roles: PACS_ROLES },
    schema: { tags, summary: 'History of one PACS: retrieval percentiles by study age and tier, failures by cause, tier fill, association success (downsampled)', params: Type.Object({ pacsId: Slug }), querystring: PacsHistoryQuery, response: { 200: PacsHistory, ...errors } },
  }, async (req) => {
    const q = req.query;
    const from = toMs(q.from);
    const to = q.to === undefined ? Date.now() : toMs(q.to);
    if (!(to > from)) throw new HttpError(400, '"to" must be after "from"', 'bad_range');
    if (to - from > 20 * 365 * 86_400_000) throw new HttpError(400, 'range is longer than 20 years', 'bad_range');
    const site = deps.siteOf(req.params.pacsId);
    // An unknown PACS and one of another site answer alike, so a site-scoped user learns nothing of it.
    if (!site || !canSeeSite(req.principal as Principal, site)) throw new HttpError(404, `PACS ${req.params.pacsId} does not exist`);
    const maxPoints = Math.min(q.maxPoints ?? DEFAULT_POINTS, deps.seriesMaxPoints);
    const sections = (q.include ? [...new Set(q.include.split(','))] : [...PACS_HISTORY_SECTIONS]) as PacsHistorySection[];
    const r = {
      database: deps.influx.settings.database, retentionPolicy: deps.influx.settings.retentionPolicy, pacsId: req.params.pacsId, site,
      from, to, stepMs: chooseStepMs(to - from, maxPoints, (q.step ?? 0) * 1000), maxPoints, sections,
    };
    return parsePacsHistory(r, await deps.influx.query(buildPacsHistoryQuery(r)));
  });
};
