/**
 * Builds principals from the store and turns them into audit actors. An employee who has left the
 * bank never becomes a principal, however they authenticate.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, EmployeeTable } from '../store/schema.ts';
import type { AuditActor, StaffPrincipal } from '../core/principal.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type StaffVia = StaffPrincipal['via'];

/** The employee row with a username, or undefined. Usernames are matched exactly, as stored. */
export function findEmployeeByUsername(db: Db, username: string): Promise<EmployeeTable | undefined> {
  return db.selectFrom('employees').selectAll().where('username', '=', username).executeTakeFirst();
}

/** The staff principal for an employee id, or null when unknown or no longer employed. */
export async function loadStaffPrincipal(db: Db, employeeId: string, via: StaffVia): Promise<StaffPrincipal | null> {
  const employee = await db.selectFrom('employees').selectAll().where('id', '=', employeeId).executeTakeFirst();
  if (!employee) return null;
  return staffPrincipalOf(db, employee, via);
}

/** The staff principal for a loaded employee row, with roles; null when the employee has left. */
export async function staffPrincipalOf(db: Db, employee: EmployeeTable, via: StaffVia): Promise<StaffPrincipal | null> {
  if (employee.status === 'left') return null;
  const roles = await db
    .selectFrom('employee_roles')
    .select('role')
    .where('employee_id', '=', employee.id)
    .orderBy('role')
    .execute();
  return {
    kind: 'staff',
    employeeId: employee.id,
    username: employee.username,
    displayName: employee.display_name,
    pseudonym: employee.pseudonym,
    branchId: employee.branch_id,
    bankRole: employee.bank_role,
    roles: roles.map((r) => r.role),
    status: employee.status,
    via,
  };
}

// How a principal appears in the audit record is a core function: audit needs it and sits below identity.
export { auditActorOf } from '../core/principal.ts';

/** The actor for a known employee who has not (or not yet) become a principal, e.g. a failed login. */
export function auditActorOfEmployee(employee: EmployeeTable): AuditActor {
  return { kind: 'staff', id: employee.id, pseudonym: employee.pseudonym, branchId: employee.branch_id, bankRole: employee.bank_role };
}

/** Nobody we can name: unknown usernames and numbers are not written into the record. */
export const ANONYMOUS: AuditActor = { kind: 'anonymous', id: null };
