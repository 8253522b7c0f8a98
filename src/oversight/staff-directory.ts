/** The staff directory for administrators: who holds which bank role and Flowguard roles. */
import type { AppContext } from '../server/context.ts';

export async function staffDirectory(ctx: AppContext) {
  const db = ctx.store.db;
  const [employees, roles] = await Promise.all([
    db.selectFrom('employees').select(['id', 'username', 'display_name', 'pseudonym', 'branch_id', 'bank_role', 'status']).orderBy('id').limit(5000).execute(),
    db.selectFrom('employee_roles').select(['employee_id', 'role']).execute(),
  ]);
  const byEmployee = new Map<string, string[]>();
  for (const r of roles) byEmployee.set(r.employee_id, [...(byEmployee.get(r.employee_id) ?? []), r.role]);
  return employees.map((e) => ({
    id: e.id,
    username: e.username,
    displayName: e.display_name,
    pseudonym: e.pseudonym,
    branchId: e.branch_id,
    bankRole: e.bank_role,
    status: e.status,
    roles: (byEmployee.get(e.id) ?? []).sort(),
  }));
}
