/**
 * HTTP for customers: their access history and "I don't recognise this access" reports (portal),
 * and the same history for the bank's security and compliance staff (withheld items marked).
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../server/context.ts';
import { requireCustomer, requireRole } from '../identity/authenticate.ts';
import { customerData } from '../access/customer-data.ts';
import { sendRelease } from '../access/release/respond.ts';

export const customerRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/v1/portal/history', { schema: { tags: ['portal'], summary: 'Who accessed my statements, when and why' } }, async (req) => {
    return customerData(ctx, requireCustomer(req), req.id).ownHistory();
  });

  app.get('/api/v1/portal/accounts', { schema: { tags: ['portal'], summary: 'My accounts (card numbers masked)' } }, async (req) => {
    return customerData(ctx, requireCustomer(req), req.id).ownAccounts();
  });

  app.get('/api/v1/portal/statement', {
    schema: {
      tags: ['portal'],
      summary: 'My statement for one account and period (masked; recorded)',
      querystring: Type.Object({ accountId: Type.String({ maxLength: 64 }), from: Type.String({ maxLength: 10 }), to: Type.String({ maxLength: 10 }) }),
    },
  }, async (req, reply) => {
    const q = req.query as { accountId: string; from: string; to: string };
    return sendRelease(reply, await customerData(ctx, requireCustomer(req), req.id).ownStatement(q.accountId, { from: q.from, to: q.to }));
  });

  app.get('/api/v1/portal/access-notifications', { schema: { tags: ['portal'], summary: 'Whether I get a text message for every access' } }, async (req) => {
    return { enabled: await customerData(ctx, requireCustomer(req), req.id).ownNotifications() };
  });

  app.put('/api/v1/portal/access-notifications', {
    schema: { tags: ['portal'], summary: 'Turn access notifications on or off (recorded)', body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }) },
  }, async (req) => {
    // The change and its record commit together (customer-data.ts).
    return { enabled: await customerData(ctx, requireCustomer(req), req.id).setOwnNotifications((req.body as { enabled: boolean }).enabled) };
  });

  app.post('/api/v1/portal/history/:seq/report', {
    schema: {
      tags: ['portal'],
      summary: "Report an access I don't recognise",
      params: Type.Object({ seq: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ comment: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const { id } = await customerData(ctx, requireCustomer(req), req.id).reportAccess((req.params as { seq: number }).seq, (req.body as { comment: string }).comment);
    return reply.code(201).send({ id, status: 'open', message: { zh: '已收到您的报告，本行安全团队将核查并与您联系。', en: 'Thank you: the bank\'s security team will look into it and contact you.' } });
  });

  app.get('/api/v1/customers/:id/access-history', {
    schema: { tags: ['customers'], summary: "A customer's access history as the security team sees it (withheld items marked)", params: Type.Object({ id: Type.String({ maxLength: 64 }) }) },
  }, async (req) => {
    const staff = requireRole(req, 'security_analyst', 'compliance_officer', 'investigator', 'auditor');
    return customerData(ctx, staff, req.id).accessHistory((req.params as { id: string }).id);
  });

  app.get('/api/v1/access-reports', { schema: { tags: ['customers'], summary: "Customers' reports of accesses they do not recognise" } }, async (req) => {
    const staff = requireRole(req, 'security_analyst', 'investigator', 'compliance_officer');
    return customerData(ctx, staff, req.id).accessReports();
  });
};
