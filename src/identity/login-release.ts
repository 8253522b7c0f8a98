/**
 * An administrator's release of an employee's sign-in: the account's failures, delays and lock are
 * forgotten, so the employee can sign in from any browser again. Employees have no registered mobile
 * for a second factor, so this and signing in from a trusted device are the two ways out of a lock.
 * Never for oneself: a locked-out administrator asks another, as with every other admin act.
 */
import { appendAuditEntry } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import { ACCOUNT, clearDelays, delayKey, holdOf } from './login-delays.ts';
import { auditActorOf, auditActorOfEmployee } from './principal.ts';

export interface LoginRelease {
  employeeId: string;
  /** Whether the account was locked, or delayed, when released. */
  was: 'locked' | 'delayed' | 'free';
  /** Failures the account had counted (0 when none). */
  failures: number;
}

/** Releases `employeeId`'s sign-in and records it; `self_release` for oneself, `not_found` for no such employee. */
export async function releaseLogin(ctx: AppContext, admin: StaffPrincipal, employeeId: string, traceId: string): Promise<LoginRelease> {
  if (employeeId === admin.employeeId) {
    throw new FlowguardError('self_release', 'You cannot release your own sign-in; ask another administrator.');
  }
  const now = ctx.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    const employee = await trx.selectFrom('employees').selectAll().where('id', '=', employeeId).executeTakeFirst();
    if (!employee) throw new FlowguardError('not_found', `No employee has the id ${employeeId}; check the id in the staff list.`);
    const key = delayKey('login-user', employee.username, ACCOUNT);
    const row = await trx.selectFrom('login_delays').selectAll().where('key', '=', key.key).executeTakeFirst();
    const hold = holdOf(row, ACCOUNT, now);
    const release: LoginRelease = { employeeId, was: hold?.reason ?? 'free', failures: row?.failures ?? 0 };
    await clearDelays(trx, [key]);
    await appendAuditEntry(trx, {
      action: 'login.released',
      actor: auditActorOf(admin),
      detail: { employee: auditActorOfEmployee(employee), was: release.was, failures: release.failures },
      traceId,
    }, now);
    return release;
  });
}
