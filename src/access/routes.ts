/**
 * HTTP for the access capability: find a customer, send a counter code, request a statement, read
 * the decision, acknowledge the warning, read the statement (through the one gate), and approve.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../server/context.ts';
import { requireStaff } from '../identity/authenticate.ts';
import { customerData } from './customer-data.ts';
import { sendRelease } from './release/respond.ts';
import { submitStatementRequest } from './requests.ts';
import { decideApproval } from './approvals.ts';
import { approvalInbox, myRequest, myRequests } from './approval-inbox.ts';
import { MIN_JUSTIFICATION } from './request-input.ts';
import { UNMASKABLE_FIELDS } from './purposes.ts';
import { adminRoutes } from './admin-routes.ts';
import { myOpenTickets } from './my-tickets.ts';

const Id = Type.String({ minLength: 1, maxLength: 80 });
const RequestIdParams = Type.Object({ id: Id });

const StatementRequestBody = Type.Object(
  {
    customerId: Id,
    accountIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
    period: Type.Object({ from: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }), to: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }) }, { additionalProperties: false }),
    purpose: Type.String({ minLength: 1, maxLength: 64 }),
    reference: Type.String({ minLength: 1, maxLength: 128, description: 'Ticket id, case id, court/police document number, or counter code id' }),
    code: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'The one-time code the customer read from their phone (customer_present)' })),
    output: Type.Union([Type.Literal('view'), Type.Literal('pdf'), Type.Literal('csv'), Type.Literal('print')]),
    unmask: Type.Optional(Type.Array(Type.String({ enum: [...UNMASKABLE_FIELDS] }), { maxItems: UNMASKABLE_FIELDS.length })),
    breakGlass: Type.Optional(Type.Object({ justification: Type.String({ minLength: MIN_JUSTIFICATION, maxLength: 2000 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const accessRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/v1/customers', {
    schema: { tags: ['access'], summary: 'Search customers (masked results; the search is recorded)', querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 64 }) }) },
  }, async (req) => customerData(ctx, requireStaff(req), req.id).searchCustomers((req.query as { q: string }).q));

  app.post('/api/v1/customers/:id/counter-codes', {
    schema: { tags: ['access'], summary: "Send a one-time code to the customer's phone to prove they are at the counter (tellers, relationship managers and branch managers only; at most 6 per customer and 4 per employee in 10 minutes, then 429 with Retry-After)", params: RequestIdParams },
  }, async (req, reply) => reply.code(201).send(await customerData(ctx, requireStaff(req), req.id).sendCounterCode((req.params as { id: string }).id)));

  app.get('/api/v1/my/tickets', {
    schema: { tags: ['access'], summary: 'Open tickets assigned to me (references I can cite)', querystring: Type.Object({ customerId: Type.Optional(Id) }) },
  }, async (req) => myOpenTickets(ctx, requireStaff(req), (req.query as { customerId?: string }).customerId));

  app.get('/api/v1/purposes', { schema: { tags: ['access'], summary: 'The purpose catalogue' } }, async (req) => {
    requireStaff(req);
    return ctx.settings.purposes().all().map((p) => ({ id: p.id, label: p.label, referenceKind: p.referenceKind, unlocks: p.unlocks }));
  });

  app.get('/api/v1/legal-warning', { schema: { tags: ['access'], summary: 'The legal warning (法律风险警示) shown before a statement is released' } }, async (req) => {
    requireStaff(req);
    return ctx.config.legalWarning;
  });

  app.post('/api/v1/statement-requests', {
    schema: { tags: ['access'], summary: 'Request a statement for a purpose bound to a reference; answers the decision', body: StatementRequestBody },
  }, async (req, reply) => reply.code(201).send(await submitStatementRequest(ctx, requireStaff(req), req.body as never, req.id)));

  app.get('/api/v1/statement-requests', { schema: { tags: ['access'], summary: 'My statement requests' } }, async (req) => myRequests(ctx, requireStaff(req)));

  app.get('/api/v1/statement-requests/:id', { schema: { tags: ['access'], summary: 'One of my requests with its decision', params: RequestIdParams } },
    async (req) => myRequest(ctx, requireStaff(req), (req.params as { id: string }).id));

  app.post('/api/v1/statement-requests/:id/acknowledgement', {
    schema: { tags: ['access'], summary: 'Acknowledge the legal warning for this request', params: RequestIdParams, body: Type.Object({ version: Type.String({ maxLength: 32 }) }, { additionalProperties: false }) },
  }, async (req, reply) => reply.code(201).send(await customerData(ctx, requireStaff(req), req.id).acknowledgeLegalWarning((req.params as { id: string }).id, (req.body as { version: string }).version)));

  app.get('/api/v1/statement-requests/:id/statement', {
    schema: { tags: ['access'], summary: 'Release the masked, watermarked statement (recorded before it is sent)', params: RequestIdParams },
  }, async (req, reply) => sendRelease(reply, await customerData(ctx, requireStaff(req), req.id).releaseStatement((req.params as { id: string }).id)));

  app.get('/api/v1/approvals', { schema: { tags: ['access'], summary: 'Pending requests I may approve, with full reasons' } }, async (req) => approvalInbox(ctx, requireStaff(req)));

  app.post('/api/v1/approvals/:id', {
    schema: {
      tags: ['access'],
      summary: 'Approve or reject a pending request (not your own)',
      params: RequestIdParams,
      body: Type.Object({ verdict: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]), comment: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const body = req.body as { verdict: 'approved' | 'rejected'; comment: string };
    return decideApproval(ctx, requireStaff(req), (req.params as { id: string }).id, body.verdict, body.comment, req.id);
  });

  await app.register(adminRoutes, { ctx });
};
