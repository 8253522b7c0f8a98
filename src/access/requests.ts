/**
 * Submitting a statement request: validate, check the reference, gather facts, let the policy
 * decide, store the request and record the decision — in one transaction, so nothing is half-done.
 * A refused request of a signed-in employee is recorded too: refusals are evidence.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import type { Bilingual, Decision } from './policy/index.ts';
import type { LegalWarning } from '../config.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { gatherFacts } from './facts.ts';
import { checkReference } from './references.ts';
import { validateRequestInput, type StatementRequestInput } from './request-input.ts';
import { localTime } from './local-time.ts';
import { recordRefusal } from './refusals.ts';
import { maskFullNumbers } from '../privacy/full-numbers.ts';

export interface RequestOutcome {
  id: string;
  status: 'allowed' | 'denied' | 'pending_approval';
  outcome: Decision['outcome'];
  /** Safe for the requester: never says why a customer is special. */
  reason: Bilingual;
  breakGlass: boolean;
  expiresAt: string | null;
  /** Shown before release; the requester must acknowledge it. */
  legalWarning: LegalWarning | null;
}

export async function submitStatementRequest(ctx: AppContext, staff: StaffPrincipal, input: StatementRequestInput, traceId: string): Promise<RequestOutcome> {
  const now = ctx.now();
  try {
    return await decideAndStore(ctx, staff, input, traceId, now);
  } catch (error) {
    if (error instanceof FlowguardError) await recordRefusal(ctx, staff, 'statement.refused', error, traceId, { customerId: input.customerId, purpose: input.purpose });
    throw error;
  }
}

async function decideAndStore(ctx: AppContext, staff: StaffPrincipal, input: StatementRequestInput, traceId: string, now: Date): Promise<RequestOutcome> {
  const valid = validateRequestInput(input, ctx.settings.purposes(), ctx.config.maxPeriodDays, localTime(now, ctx.config.timeZone).date);
  return ctx.store.db.transaction().execute(async (tx) => {
    const customer = await tx.selectFrom('customers').selectAll().where('id', '=', input.customerId).executeTakeFirst();
    if (!customer) throw new FlowguardError('not_found', `No customer ${input.customerId}; search for the customer first.`);
    const owned = (await tx.selectFrom('accounts').select('id').where('customer_id', '=', customer.id).execute()).map((a) => a.id);
    const accountIds = input.accountIds?.length ? [...new Set(input.accountIds)] : owned;
    const stray = accountIds.find((a) => !owned.includes(a));
    if (stray) throw new FlowguardError('unknown_account', `Account ${stray} is not one of this customer's accounts.`);

    const ref = await checkReference(tx, valid.purpose, { customerId: customer.id, employeeId: staff.employeeId, reference: input.reference, code: input.code }, now, ctx.config.codeMaxAttempts);
    const facts = await gatherFacts(tx, staff, customer, {
      purpose: valid.purpose.id,
      output: input.output,
      unmaskedFields: valid.unmask,
      accountCount: accountIds.length,
      periodDays: valid.periodDays,
      breakGlass: input.breakGlass !== undefined,
    }, ref, now, ctx.config.timeZone);
    // Break-glass is asked for only when the ordinary answer is "needs approval"; the policy says
    // which approval rules an emergency may lift (never a relative's account, never 协助查询).
    const ordinary = ctx.settings.policy().decide({ ...facts, request: { ...facts.request, breakGlass: false } });
    const emergency = ordinary.outcome === 'needs_approval' && input.breakGlass !== undefined ? ctx.settings.policy().decide(facts) : null;
    const breakGlass = emergency?.outcome === 'allow';
    const decision = breakGlass ? emergency! : ordinary;
    const status = decision.outcome === 'allow' || breakGlass ? 'allowed' : decision.outcome === 'deny' ? 'denied' : 'pending_approval';
    const ttlMs = status === 'pending_approval' ? ctx.config.approvalTtlHours * 3_600_000 : ctx.config.releaseTtlMinutes * 60_000;
    const expiresAt = status === 'denied' ? null : new Date(now.getTime() + ttlMs).toISOString();
    const id = `SR-${randomUUID()}`;
    // Free text: a full card or ID number typed into it is kept masked (the record refuses full ones).
    const justification = breakGlass ? maskFullNumbers(input.breakGlass!.justification) : null;

    await tx.insertInto('statement_requests').values({
      id,
      employee_id: staff.employeeId,
      customer_id: customer.id,
      account_ids: JSON.stringify(accountIds),
      period_from: valid.from,
      period_to: valid.to,
      purpose: valid.purpose.id,
      reference: input.reference,
      output: input.output,
      unmask: JSON.stringify(valid.unmask),
      status,
      decision: JSON.stringify({ outcome: decision.outcome, policyIds: decision.policyIds, requesterReason: decision.requesterReason, fullReason: decision.fullReason }),
      break_glass: breakGlass ? 1 : 0,
      justification,
      legal_ack_at: null,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    }).execute();

    const actor = staffActor(staff);
    await appendAuditEntry(tx, {
      action: 'statement.requested',
      actor,
      customerId: customer.id,
      requestId: id,
      traceId,
      detail: {
        purpose: valid.purpose.id,
        referenceKind: valid.purpose.referenceKind,
        reference: input.reference,
        accounts: accountIds,
        period: { from: valid.from, to: valid.to },
        output: input.output,
        unmask: valid.unmask,
        decision: decision.outcome,
        policyIds: decision.policyIds,
        reason: decision.fullReason,
        status,
      },
    }, now);
    if (breakGlass) {
      await tx.insertInto('post_reviews').values({ id: `PR-${randomUUID()}`, request_id: id, employee_id: staff.employeeId, status: 'open', created_at: now.toISOString() }).execute();
      await appendAuditEntry(tx, { action: 'break_glass.used', actor, customerId: customer.id, requestId: id, traceId, detail: { justification, policyIds: decision.policyIds } }, now);
    }
    const history = valid.purpose.customerHistory;
    if (history.mode === 'withhold') {
      const until = history.days === null ? null : new Date(now.getTime() + history.days * 86_400_000).toISOString();
      await appendAuditEntry(tx, { action: 'history.withheld', actor: { kind: 'system', id: null }, customerId: customer.id, requestId: id, traceId, detail: { purpose: valid.purpose.id, until } }, now);
    }
    for (const flag of decision.flags) {
      await tx.insertInto('flags').values({ id: `FL-${randomUUID()}`, kind: flag, severity: 'critical', employee_id: staff.employeeId, customer_id: customer.id, request_id: id, created_at: now.toISOString() }).execute();
    }
    return {
      id,
      status,
      outcome: decision.outcome,
      reason: decision.requesterReason,
      breakGlass,
      expiresAt,
      legalWarning: status === 'allowed' ? ctx.config.legalWarning : null,
    };
  });
}
