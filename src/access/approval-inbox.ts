/** What an approver sees: pending requests they may decide, the full reasons, and the requester's recent history. */
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import { FlowguardError } from '../errors.ts';

export async function approvalInbox(ctx: AppContext, approver: StaffPrincipal) {
  const bankWide = approver.roles.includes('security_analyst');
  if (!bankWide && !approver.roles.includes('approver')) throw new FlowguardError('forbidden', 'Only approvers and the security team have an approval inbox.');
  const db = ctx.store.db;
  let q = db
    .selectFrom('statement_requests as r')
    .innerJoin('employees as e', 'e.id', 'r.employee_id')
    .select(['r.id', 'r.employee_id', 'e.display_name', 'e.branch_id', 'e.bank_role', 'r.customer_id', 'r.purpose', 'r.reference', 'r.output', 'r.unmask', 'r.period_from', 'r.period_to', 'r.decision', 'r.created_at', 'r.expires_at'])
    .where('r.status', '=', 'pending_approval')
    .where('r.expires_at', '>', ctx.now().toISOString())
    .where('r.employee_id', '!=', approver.employeeId);
  if (!bankWide) q = q.where('e.branch_id', '=', approver.branchId);
  const pending = await q.orderBy('r.created_at').limit(200).execute();
  return Promise.all(
    pending.map(async (p) => {
      const decision = JSON.parse(p.decision);
      const recent = await db
        .selectFrom('statement_requests')
        .select(['id', 'customer_id', 'purpose', 'status', 'created_at'])
        .where('employee_id', '=', p.employee_id)
        .where('id', '!=', p.id)
        .orderBy('created_at', 'desc')
        .limit(10)
        .execute();
      return {
        id: p.id,
        requester: { id: p.employee_id, name: p.display_name, branchId: p.branch_id, bankRole: p.bank_role },
        customerId: p.customer_id,
        purpose: p.purpose,
        reference: p.reference,
        output: p.output,
        unmask: JSON.parse(p.unmask),
        period: { from: p.period_from, to: p.period_to },
        policyIds: decision.policyIds,
        reason: decision.fullReason,
        createdAt: p.created_at,
        expiresAt: p.expires_at,
        requesterRecent: recent.map((r) => ({ id: r.id, customerId: r.customer_id, purpose: r.purpose, status: r.status, createdAt: r.created_at })),
      };
    }),
  );
}

export async function myRequests(ctx: AppContext, staff: StaffPrincipal) {
  const rows = await ctx.store.db
    .selectFrom('statement_requests')
    .select(['id', 'customer_id', 'purpose', 'output', 'status', 'decision', 'created_at', 'expires_at', 'legal_ack_at', 'break_glass', 'period_from', 'period_to'])
    .where('employee_id', '=', staff.employeeId)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map(publicRequest);
}

export async function myRequest(ctx: AppContext, staff: StaffPrincipal, id: string) {
  const row = await ctx.store.db
    .selectFrom('statement_requests')
    .select(['id', 'customer_id', 'purpose', 'output', 'status', 'decision', 'created_at', 'expires_at', 'legal_ack_at', 'break_glass', 'period_from', 'period_to'])
    .where('id', '=', id)
    .where('employee_id', '=', staff.employeeId)
    .executeTakeFirst();
  if (!row) throw new FlowguardError('not_found', `You have no statement request ${id}.`);
  return { ...publicRequest(row), legalWarning: row.status === 'allowed' || row.status === 'approved' ? ctx.config.legalWarning : null };
}

/** A request as its requester may see it: the neutral reason only, never the policy internals. */
function publicRequest(r: { id: string; customer_id: string; purpose: string; output: string; status: string; decision: string; created_at: string; expires_at: string | null; legal_ack_at: string | null; break_glass: number; period_from: string; period_to: string }) {
  return {
    id: r.id,
    customerId: r.customer_id,
    purpose: r.purpose,
    output: r.output,
    period: { from: r.period_from, to: r.period_to },
    status: r.status,
    reason: JSON.parse(r.decision).requesterReason,
    breakGlass: r.break_glass === 1,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    acknowledgedAt: r.legal_ack_at,
  };
}
