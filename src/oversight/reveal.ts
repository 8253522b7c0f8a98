/**
 * Revealing who is behind a pseudonym is an act of its own: it needs a reason, and the reveal is
 * appended to the record (who revealed whom, why) before the name is returned.
 */
import type { AppContext, StaffPrincipal } from '../server/context.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { maskFullNumbers } from '../privacy/full-numbers.ts';
import { auditActorOf } from '../identity/principal.ts';
import { FlowguardError } from '../errors.ts';

export async function revealEmployee(ctx: AppContext, analyst: StaffPrincipal, pseudonym: string, reason: string, traceId: string) {
  const db = ctx.store.db;
  const e = await db.selectFrom('employees').select(['id', 'display_name', 'pseudonym', 'branch_id', 'bank_role', 'status']).where('pseudonym', '=', pseudonym).executeTakeFirst();
  if (!e) throw new FlowguardError('not_found', `No employee has the pseudonym ${pseudonym}.`);
  await appendAuditEntry(db, {
    action: 'employee.revealed',
    actor: auditActorOf(analyst),
    traceId,
    // Free text: a full card or ID number typed into it is kept masked (the record refuses full ones).
    detail: { pseudonym: e.pseudonym, reason: maskFullNumbers(reason) },
  }, ctx.now());
  return { pseudonym: e.pseudonym, employeeId: e.id, displayName: e.display_name, branchId: e.branch_id, bankRole: e.bank_role, status: e.status };
}
