/**
 * The one gate to customers' statements. Every release passes here: the request must be the
 * caller's, decided in their favour, unexpired and acknowledged; then the release pipeline
 * (./release/pipeline.ts) reads the rows from the source, shapes, masks, marks and renders them, and
 * the release is recorded — committed before the caller gets a byte.
 */
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import { appendAuditEntry, type AuditEvent } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { Masker } from './masking.ts';
import type { UnmaskableField } from './purposes.ts';
import { rowCount, shapeStatement } from './release/statement-view.ts';
import { runRelease } from './release/pipeline.ts';
import type { Rendered } from './release/render.ts';
import { watermarkFor, watermarkTag } from './release/watermark.ts';
import { recordRefusal } from './refusals.ts';
import { readStatementPeriod } from './statement-period.ts';
import { localTime } from './local-time.ts';
import { notificationDue, notifyAccess } from '../customers/access-notifications.ts';

export async function releaseStatement(ctx: AppContext, staff: StaffPrincipal, requestId: string, traceId: string): Promise<Rendered> {
  try {
    return await release(ctx, staff, requestId, traceId);
  } catch (error) {
    if (error instanceof FlowguardError) await recordRefusal(ctx, staff, 'statement.release_refused', error, traceId, { requestId: /^SR-[0-9a-f-]{36}$/.test(requestId) ? requestId : undefined });
    throw error;
  }
}

async function release(ctx: AppContext, staff: StaffPrincipal, requestId: string, traceId: string): Promise<Rendered> {
  const now = ctx.now();
  const db = ctx.store.db;
  const request = await db.selectFrom('statement_requests').selectAll().where('id', '=', requestId).where('employee_id', '=', staff.employeeId).executeTakeFirst();
  if (!request) throw new FlowguardError('not_found', `You have no statement request ${requestId}.`);
  if (request.status !== 'allowed' && request.status !== 'approved') {
    const why = request.status === 'released' ? 'it was already used (approvals and break-glass are single use)' : `it is ${request.status.replace('_', ' ')}`;
    throw new FlowguardError('statement_not_released', `Request ${requestId} cannot release a statement: ${why}. Submit a new request.`);
  }
  if (request.expires_at !== null && request.expires_at <= now.toISOString()) {
    throw new FlowguardError('statement_not_released', `Request ${requestId} expired at ${request.expires_at}. Submit a new request.`);
  }
  if (request.legal_ack_at === null) {
    throw new FlowguardError('legal_warning_not_acknowledged', 'Read and acknowledge the legal warning (法律风险警示) for this request first.');
  }
  await assertStillQualified(ctx, staff, now);

  const accountIds: string[] = JSON.parse(request.account_ids);
  const unmasked: UnmaskableField[] = JSON.parse(request.unmask);
  const period = { from: request.period_from, to: request.period_to };
  const singleUse = request.status === 'approved' || request.break_glass === 1;
  const notice = { customerId: request.customer_id, purposeId: request.purpose, output: request.output, branchId: staff.branchId, time: now };

  return runRelease({
    output: request.output,
    async read() {
      const customer = await db.selectFrom('customers').select(['id', 'name', 'id_number', 'mobile']).where('id', '=', request.customer_id).executeTakeFirstOrThrow();
      const accounts = (await ctx.source.accounts(customer.id)).filter((a) => accountIds.includes(a.id));
      const toExclusive = dayAfter(period.to);
      const withRows = await Promise.all(accounts.map(async (account) => ({ account, ...(await ctx.source.rows(account.id, period.from, toExclusive)) })));
      return { customer, withRows };
    },
    shape: ({ customer, withRows }) => shapeStatement(requestId, period, customer, withRows),
    masker: new Masker(ctx.settings.masking(), new Set(unmasked)),
    unmasked,
    watermark: watermarkFor({ kind: 'staff', employeeId: staff.employeeId, displayName: staff.displayName }, requestId, now),
    timeZone: ctx.config.timeZone,
    async record(view) {
      const record: AuditEvent = {
        action: request.output === 'view' ? 'statement.viewed' : 'statement.exported',
        actor: staffActor(staff),
        customerId: request.customer_id,
        requestId,
        traceId,
        detail: {
          purpose: request.purpose,
          output: request.output,
          accounts: accountIds,
          period,
          rows: rowCount(view),
          unmasked,
          breakGlass: request.break_glass === 1,
          // The watermark shows the viewer's name and ID; the entry keeps only when it was drawn and the
          // request tag it carries (the viewer is the entry's actor, behind a pseudonym).
          watermark: { time: view.watermark.time, tag: watermarkTag(requestId) },
        },
      };
      // A repeat view of an allowed request writes nothing but its record: it can share a commit with
      // other views. A single-use release (it changes the request) or one that texts the customer
      // (the message and the record go together) keeps a transaction of its own.
      if (ctx.recorder && !singleUse && !(await notificationDue(db, ctx.settings.purposes(), notice))) {
        await ctx.recorder.append(record);
        return;
      }
      await db.transaction().execute(async (tx) => {
        if (singleUse) {
          const r = await tx.updateTable('statement_requests').set({ status: 'released' }).where('id', '=', requestId).where('status', '=', request.status).executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) throw new FlowguardError('statement_not_released', `Request ${requestId} was used a moment ago; approvals are single use.`);
        }
        await notifyAccess(tx, ctx.sms, ctx.settings.purposes(), notice);
        await appendAuditEntry(tx, record, now);
      });
    },
  });
}

/** A period's end is a whole day; the source reads up to, not including, the next. */
function dayAfter(date: string): string {
  return new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);
}

/** The requester confirms they read the legal warning; the acknowledgement is recorded with the access. */
export async function acknowledgeLegalWarning(ctx: AppContext, staff: StaffPrincipal, requestId: string, version: string, traceId: string) {
  const now = ctx.now();
  return ctx.store.db.transaction().execute(async (tx) => {
    const request = await tx.selectFrom('statement_requests').select(['id', 'status', 'customer_id', 'legal_ack_at']).where('id', '=', requestId).where('employee_id', '=', staff.employeeId).executeTakeFirst();
    if (!request) throw new FlowguardError('not_found', `You have no statement request ${requestId}.`);
    if (request.status !== 'allowed' && request.status !== 'approved') {
      throw new FlowguardError('statement_not_released', `Request ${requestId} is ${request.status.replace('_', ' ')}; there is nothing to acknowledge.`);
    }
    if (version !== ctx.config.legalWarning.version) {
      throw new FlowguardError('invalid_request', `The legal warning changed (now version ${ctx.config.legalWarning.version}); read the current text and acknowledge it.`);
    }
    await tx.updateTable('statement_requests').set({ legal_ack_at: now.toISOString() }).where('id', '=', requestId).execute();
    await appendAuditEntry(tx, { action: 'legal_warning.acknowledged', actor: staffActor(staff), customerId: request.customer_id, requestId, traceId, detail: { version } }, now);
    return { id: requestId, acknowledgedAt: now.toISOString() };
  });
}

/** A customer reads at most a year of their statement at a time (a longer one is several reads). */
const OWN_STATEMENT_MAX_DAYS = 366;

/**
 * A customer reading their own statement in the portal (PIPL Art. 45: access to one's own data).
 * No purpose is needed, but it passes the same gate: masked (a copy on a phone leaks too), and
 * recorded before it is sent.
 */
export async function releaseOwnStatement(ctx: AppContext, customerId: string, accountId: string, period: { from: string; to: string }, traceId: string): Promise<Rendered> {
  const now = ctx.now();
  readStatementPeriod(period, localTime(now, ctx.config.timeZone).date, { days: OWN_STATEMENT_MAX_DAYS, hint: 'Choose at most one year at a time.' });
  const requestId = `OWN-${traceId}`;
  return runRelease({
    output: 'view',
    async read() {
      const account = (await ctx.source.accounts(customerId)).find((a) => a.id === accountId);
      if (!account) throw new FlowguardError('not_found', `You have no account ${accountId}.`);
      const customer = await ctx.store.db.selectFrom('customers').select(['id', 'name', 'id_number', 'mobile']).where('id', '=', customerId).executeTakeFirstOrThrow();
      return { customer, withRows: [{ account, ...(await ctx.source.rows(account.id, period.from, dayAfter(period.to))) }] };
    },
    shape: ({ customer, withRows }) => shapeStatement(requestId, period, customer, withRows),
    masker: new Masker(ctx.settings.masking(), new Set()),
    unmasked: [],
    watermark: watermarkFor({ kind: 'customer', customerId }, requestId, now),
    timeZone: ctx.config.timeZone,
    async record(view) {
      await appendAuditEntry(ctx.store.db, {
        action: 'portal.statement_viewed',
        actor: { kind: 'customer', id: customerId },
        customerId,
        traceId,
        detail: { accounts: view.accounts.map((a) => a.id), period, rows: rowCount(view) },
      }, now);
    },
  });
}

/**
 * The decision was taken up to an hour (allowed) or twelve hours (approved) ago. What can lapse in
 * between and is a hard refusal in the policy — training, attestation — is checked again at release.
 */
async function assertStillQualified(ctx: AppContext, staff: StaffPrincipal, now: Date): Promise<void> {
  const valid = await ctx.store.db
    .selectFrom('training_records')
    .select('kind')
    .where('employee_id', '=', staff.employeeId)
    .where('valid_until', '>=', now.toISOString())
    .execute();
  const kinds = new Set(valid.map((v) => v.kind));
  if (!kinds.has('training') || !kinds.has('attestation')) {
    throw new FlowguardError('statement_not_released', 'Your data-protection training or confidentiality attestation has lapsed since this request was decided; renew it, then submit a new request.');
  }
}
