/**
 * HTTP for customers: their access history and "I don't recognise this access" reports (portal),
 * and the same history for the bank's security and compliance staff (withheld items marked).
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../server/context.ts';
import { requireCustomer, requireRole } from '../identity/authenticate.ts';
import { accessHistory } from './history.ts';
import { releaseOwnStatement } from '../access/statement-gate.ts';
import { maskValue } from '../access/masking.ts';
import { accessNotificationsEnabled, setAccessNotifications } from './access-notifications.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import { maskFullNumbers } from '../privacy/full-numbers.ts';

export const customerRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/v1/portal/history', { schema: { tags: ['portal'], summary: 'Who accessed my statements, when and why' } }, async (req) => {
    const me = requireCustomer(req);
    const items = await accessHistory(ctx, me.customerId, { includeWithheld: false });
    await appendAuditEntry(ctx.store.db, { action: 'portal.history_viewed', actor: { kind: 'customer', id: me.customerId }, customerId: me.customerId, traceId: req.id, detail: { items: items.length } }, ctx.now());
    return items.map(({ withheld: _withheld, ...item }) => item);
  });

  app.get('/api/v1/portal/accounts', { schema: { tags: ['portal'], summary: 'My accounts (card numbers masked)' } }, async (req) => {
    const me = requireCustomer(req);
    const rules = ctx.settings.masking();
    return (await ctx.source.accounts(me.customerId)).map((a) => ({ id: a.id, cardNumber: maskValue(a.cardNumber, rules.card_number, 'card_number'), kind: a.kind, currency: a.currency }));
  });

  app.get('/api/v1/portal/statement', {
    schema: {
      tags: ['portal'],
      summary: 'My statement for one account and period (masked; recorded)',
      querystring: Type.Object({ accountId: Type.String({ maxLength: 64 }), from: Type.String({ maxLength: 10 }), to: Type.String({ maxLength: 10 }) }),
    },
  }, async (req, reply) => {
    const me = requireCustomer(req);
    const q = req.query as { accountId: string; from: string; to: string };
    reply.header('cache-control', 'no-store');
    return releaseOwnStatement(ctx, me.customerId, q.accountId, { from: q.from, to: q.to }, req.id);
  });

  app.get('/api/v1/portal/access-notifications', { schema: { tags: ['portal'], summary: 'Whether I get a text message for every access' } }, async (req) => {
    const me = requireCustomer(req);
    return { enabled: await accessNotificationsEnabled(ctx.store.db, me.customerId) };
  });

  app.put('/api/v1/portal/access-notifications', {
    schema: { tags: ['portal'], summary: 'Turn access notifications on or off (recorded)', body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }) },
  }, async (req) => {
    const me = requireCustomer(req);
    const { enabled } = req.body as { enabled: boolean };
    const now = ctx.now();
    // The change and its record commit together: a customer who turned them off is on record as having done so.
    await ctx.store.db.transaction().execute(async (tx) => {
      await setAccessNotifications(tx, me.customerId, enabled, now);
      await appendAuditEntry(tx, { action: 'portal.access_notifications_changed', actor: { kind: 'customer', id: me.customerId }, customerId: me.customerId, traceId: req.id, detail: { enabled } }, now);
    });
    return { enabled };
  });

  app.post('/api/v1/portal/history/:seq/report', {
    schema: {
      tags: ['portal'],
      summary: "Report an access I don't recognise",
      params: Type.Object({ seq: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ comment: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const me = requireCustomer(req);
    const seq = (req.params as { seq: number }).seq;
    const visible = await accessHistory(ctx, me.customerId, { includeWithheld: false });
    if (!visible.some((i) => i.seq === seq)) throw new FlowguardError('not_found', `No access ${seq} in your history.`);
    const now = ctx.now();
    const id = `RP-${randomUUID()}`;
    // Customers write their card or ID number into a complaint; the report keeps it masked.
    const comment = maskFullNumbers((req.body as { comment: string }).comment);
    await ctx.store.db.transaction().execute(async (tx) => {
      await tx.insertInto('access_reports').values({ id, customer_id: me.customerId, audit_seq: seq, comment, status: 'open', created_at: now.toISOString() }).execute();
      await appendAuditEntry(tx, { action: 'portal.access_reported', actor: { kind: 'customer', id: me.customerId }, customerId: me.customerId, traceId: req.id, detail: { reportId: id, seq } }, now);
    });
    return reply.code(201).send({ id, status: 'open', message: { zh: '已收到您的报告，本行安全团队将核查并与您联系。', en: 'Thank you: the bank\'s security team will look into it and contact you.' } });
  });

  app.get('/api/v1/customers/:id/access-history', {
    schema: { tags: ['customers'], summary: "A customer's access history as the security team sees it (withheld items marked)", params: Type.Object({ id: Type.String({ maxLength: 64 }) }) },
  }, async (req) => {
    requireRole(req, 'security_analyst', 'compliance_officer', 'investigator', 'auditor');
    return accessHistory(ctx, (req.params as { id: string }).id, { includeWithheld: true });
  });

  app.get('/api/v1/access-reports', { schema: { tags: ['customers'], summary: "Customers' reports of accesses they do not recognise" } }, async (req) => {
    requireRole(req, 'security_analyst', 'investigator', 'compliance_officer');
    return ctx.store.db.selectFrom('access_reports').selectAll().orderBy('created_at', 'desc').limit(500).execute();
  });
};
