/**
 * Staff login with username and password. Every outcome is recorded, and the answer to a wrong
 * password, an unknown username and a departed employee is the same error in about the same time.
 */
import { appendAuditEntry, type AuditEvent } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import type { AppContext, StaffPrincipal } from '../server/context.ts';
import type { EmployeeTable } from '../store/schema.ts';
import { verifyPassword } from './passwords.ts';
import { ANONYMOUS, auditActorOf, auditActorOfEmployee, findEmployeeByUsername, staffPrincipalOf } from './principal.ts';
import { createSession, type IssuedSession } from './sessions.ts';
import { clearFailures, isLocked, PER_ADDRESS, PER_NAME, recordFailure, throttleKey } from './throttle.ts';

export interface PasswordAttempt { username: string; password: string; ip: string; traceId: string }

export interface StaffLogin { session: IssuedSession; principal: StaffPrincipal }

type FailureReason = 'invalid_credentials' | 'employee_left' | 'locked';

/** Logs an employee in, or throws `invalid_credentials` / `too_many_attempts`. */
export async function loginWithPassword(ctx: AppContext, attempt: PasswordAttempt): Promise<StaffLogin> {
  const { db } = ctx.store;
  const now = ctx.now();
  const nameKey = throttleKey('login-user', attempt.username, PER_NAME);
  const keys = [nameKey, throttleKey('login-ip', attempt.ip, PER_ADDRESS)];
  const employee = await findEmployeeByUsername(db, attempt.username);

  if (await isLocked(db, keys, now)) {
    await appendAuditEntry(db, failedLogin(employee, 'locked', attempt), now);
    throw new FlowguardError('too_many_attempts', 'Too many failed sign-ins; wait 15 minutes and try again, or ask your administrator.');
  }

  // Always run one argon2 verification (against a dummy hash for unknown names) so timing is the same.
  const passwordOk = await verifyPassword(employee?.password_hash ?? null, attempt.password);
  const principal = passwordOk && employee ? await staffPrincipalOf(db, employee, 'cookie') : null;
  if (!principal) {
    const reason: FailureReason = passwordOk ? 'employee_left' : 'invalid_credentials';
    await db.transaction().execute(async (trx) => {
      await recordFailure(trx, keys, now);
      await appendAuditEntry(trx, failedLogin(employee, reason, attempt), now);
    });
    throw new FlowguardError('invalid_credentials', 'The username or password is wrong.');
  }

  const session = await db.transaction().execute(async (trx) => {
    // The address keeps its count: one good account must not unlock guessing at the others.
    await clearFailures(trx, [nameKey]);
    const issued = await createSession(trx, { kind: 'staff', employeeId: principal.employeeId }, ctx.config.sessionTtlHours, now);
    await appendAuditEntry(trx, {
      action: 'login.succeeded',
      actor: auditActorOf(principal),
      detail: { method: 'password', ip: attempt.ip },
      traceId: attempt.traceId,
    }, now);
    return issued;
  });
  return { session, principal };
}

/** A failed login names a known employee by id; an unknown username is not written down at all. */
function failedLogin(employee: EmployeeTable | undefined, reason: FailureReason, attempt: PasswordAttempt): AuditEvent {
  return {
    action: 'login.failed',
    actor: employee ? auditActorOfEmployee(employee) : ANONYMOUS,
    detail: { method: 'password', usernameKnown: employee !== undefined, reason, ip: attempt.ip },
    traceId: attempt.traceId,
  };
}
