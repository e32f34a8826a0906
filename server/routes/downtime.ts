// Downtime analytics API for the managers' page: the report (JSON and CSV) and one scanner's timeline.
// Every route declares its roles; the auth hook enforces them.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contracts/common.js';
import { DowntimeQuery, DowntimeReport, ScannerTimeline, TimelineQuery } from '../../contracts/downtime.js';
import type { DowntimeService } from '../downtime/service.js';
import { canSeeSite, type Principal } from '../auth/principal.js';
import { reportCsv } from '../downtime/csv.js';
import { AUDIENCE } from '../../contracts/auth.js';
import { HttpError } from '../lib/http-error.js';

export interface DowntimeRouteDeps { downtime: DowntimeService }

const roles = AUDIENCE.managers;
// One scanner's state timeline is operational data the scanner page shows to everyone who may see the scanner.
const TIMELINE_ROLES = AUDIENCE.everyone;
const tags = ['downtime'];
const errors = { 400: ErrorBody, 404: ErrorBody };
export const CsvQuery = Type.Composite([
  DowntimeQuery,
  Type.Object({ section: Type.Optional(Type.Union([Type.Literal('groups'), Type.Literal('weekly'), Type.Literal('monthly'), Type.Literal('top')])) }),
], { additionalProperties: false });

/** A site-scoped manager's report covers their sites only. */
const visibleTo = (p: Principal | undefined) => (site: string) => p !== undefined && canSeeSite(p, site);

export const downtimeRoutes: FastifyPluginAsyncTypebox<DowntimeRouteDeps> = async (app, deps) => {
  app.get('/api/downtime', {
    config: { roles },
    schema: { tags, summary: 'Availability, MTBF, MTTR and cost per group, weekly and monthly trends, top offenders', querystring: DowntimeQuery, response: { 200: DowntimeReport, ...errors } },
  }, async (req) => deps.downtime.report(req.query, visibleTo(req.principal)));

  app.get('/api/downtime/csv', {
    config: { roles },
    schema: { tags, summary: 'A section of the downtime report as CSV', querystring: CsvQuery, response: { 200: Type.String(), ...errors } },
  }, async (req, reply) => {
    const { section = 'groups', ...query } = req.query;
    const report = await deps.downtime.report(query, visibleTo(req.principal));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="downtime-${section}-${report.groupBy}.csv"`)
      .send(reportCsv(report, section));
  });

  app.get('/api/downtime/timeline', {
    config: { roles: TIMELINE_ROLES },
    schema: { tags, summary: 'State timeline of one scanner (up, degraded, down, maintenance, unknown)', querystring: TimelineQuery, response: { 200: ScannerTimeline, ...errors } },
  }, async (req) => {
    const timeline = await deps.downtime.timeline(req.query);
    const p = req.principal as Principal;
    if (!timeline || (p.sites && (!timeline.site || !canSeeSite(p, timeline.site)))) {
      throw new HttpError(404, `no status history for scanner ${req.query.scannerId}`);
    }
    return timeline;
  });
};
