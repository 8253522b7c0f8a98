import type { AuditActor } from '../audit/record.ts';
import type { StaffPrincipal } from '../server/context.ts';

/** How an employee appears in the record: id for investigators, pseudonym, branch and role for history. */
export function staffActor(staff: StaffPrincipal): AuditActor {
  return { kind: 'staff', id: staff.employeeId, pseudonym: staff.pseudonym, branchId: staff.branchId, bankRole: staff.bankRole };
}
