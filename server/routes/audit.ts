// The audit trail, for admins.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditEntry, AuditQuery, ErrorBody, Page } from '../../contracts/index.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AUDIENCE } from '../../contracts/auth.js';

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditLog }> = async (app, deps) => {
  app.get('/api/audit', {
    config: { roles: AUDIENCE.admins },
    schema: { tags: ['admin'], summary: 'Every API write: who, what, when, from where (newest first)', querystring: AuditQuery, response: { 200: Page(AuditEntry), '4xx': ErrorBody } },
  }, async (req) => deps.audit.query(req.query));
};
