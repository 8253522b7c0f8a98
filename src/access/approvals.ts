/**
 * Dual control: a second person — an approver of the requester's branch, or security — approves or
 * rejects a request that needs it. An approval is single use and expires; nobody approves their own.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import { appendAuditEntry, employeeRef } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { recordRefusal } from './refusals.ts';
import { maskFullNumbers } from '../privacy/full-numbers.ts';

export type Verdict = 'approved' | 'rejected';

/** Roles that may approve for any branch (the security team). */
const BANK_WIDE_APPROVERS = ['security_analyst'];

export async function decideApproval(ctx: AppContext, approver: StaffPrincipal, requestId: string, verdict: Verdict, comment: string, traceId: string) {
  try {
    // Free text: a full card or ID number typed into it is kept masked (the record refuses full ones).
    return await decide(ctx, approver, requestId, verdict, maskFullNumbers(comment), traceId);
  } catch (error) {
    if (error instanceof FlowguardError) await recordRefusal(ctx, approver, 'approval.refused', error, traceId, { requestId: /^SR-[0-9a-f-]{36}$/.test(requestId) ? requestId : undefined });
    throw error;
  }
}

async function decide(ctx: AppContext, approver: StaffPrincipal, requestId: string, verdict: Verdict, comment: string, traceId: string) {
  const now = ctx.now();
  return ctx.store.db.transaction().execute(async (tx) => {
    const request = await tx.selectFrom('statement_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
    if (!request) throw new FlowguardError('not_found', `No statement request ${requestId}.`);
    if (request.employee_id === approver.employeeId) {
      throw new FlowguardError('self_approval', 'You cannot approve or reject your own request; ask your branch manager or the security team.');
    }
    const requester = await tx.selectFrom('employees').select(['branch_id']).where('id', '=', request.employee_id).executeTakeFirstOrThrow();
    const mayApprove = approver.roles.some((r) => BANK_WIDE_APPROVERS.includes(r)) || (approver.roles.includes('approver') && approver.branchId === requester.branch_id);
    if (!mayApprove) throw new FlowguardError('not_an_approver', "You do not hold the approver role for the requester's branch.");
    if (request.status !== 'pending_approval') {
      throw new FlowguardError('approval_not_pending', `Request ${requestId} is ${request.status.replace('_', ' ')}, not waiting for approval.`);
    }
    if (request.expires_at !== null && request.expires_at <= now.toISOString()) {
      throw new FlowguardError('approval_expired', `Request ${requestId} waited longer than ${ctx.config.approvalTtlHours} hours; the requester must ask again.`);
    }
    // The status guard in the WHERE clause makes a concurrent second approval a no-op.
    const expiresAt = new Date(now.getTime() + ctx.config.approvalTtlHours * 3_600_000).toISOString();
    const updated = await tx
      .updateTable('statement_requests')
      .set({ status: verdict, expires_at: verdict === 'approved' ? expiresAt : null })
      .where('id', '=', requestId)
      .where('status', '=', 'pending_approval')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new FlowguardError('approval_not_pending', `Request ${requestId} was decided by someone else just now.`);
    await tx.insertInto('approvals').values({ id: `AP-${randomUUID()}`, request_id: requestId, approver_id: approver.employeeId, verdict, comment, created_at: now.toISOString() }).execute();
    await appendAuditEntry(tx, {
      action: verdict === 'approved' ? 'approval.granted' : 'approval.rejected',
      actor: staffActor(approver),
      customerId: request.customer_id,
      requestId,
      traceId,
      detail: { comment, requester: employeeRef(request.employee_id), purpose: request.purpose },
    }, now);
    return { id: requestId, status: verdict, expiresAt: verdict === 'approved' ? expiresAt : null };
  });
}
