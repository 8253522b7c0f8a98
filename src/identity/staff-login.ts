/**
 * Staff login with username and password. Every outcome is recorded, and the answer to a wrong
 * password, an unknown username and a departed employee is the same error in about the same time.
 *
 * Failures slow guessing down without letting anyone aim a lock at a colleague (./README.md): a
 * client with a valid device cookie for the username answers only to that device's own budget; any
 * other client answers to the account's delays and lock and to its address's delay.
 */
import { appendAuditEntry, type AuditEventOf } from '../audit/record.ts';
import type { FailedSignIn } from '../audit/actions.ts';
import { FlowguardError } from '../errors.ts';
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import type { EmployeeTable } from '../store/schema.ts';
import { issueDeviceCookie, verifyDeviceCookie, type TrustedDevice } from './device-cookie.ts';
import { ACCOUNT, clearDelays, countFailure, delayKey, DEVICE, holdOn, STAFF_ADDRESS, type DelayKey, type Hold } from './login-delays.ts';
import { verifyPassword } from './passwords.ts';
import { ANONYMOUS, auditActorOf, auditActorOfEmployee, findEmployeeByUsername, staffPrincipalOf } from './principal.ts';
import { createSession, type IssuedSession } from './sessions.ts';
import { recordHeldBack, SIGN_IN_HELD_BACK } from './held-back.ts';

export interface PasswordAttempt {
  username: string;
  password: string;
  ip: string;
  traceId: string;
  /** The device cookie the client sent for this username, if any. */
  deviceCookie?: string | undefined;
}

export interface StaffLogin {
  session: IssuedSession;
  principal: StaffPrincipal;
  /** A fresh device cookie for this username: the client is a trusted device from now on. */
  deviceCookie: string;
}

type FailureReason = 'invalid_credentials' | 'employee_left' | Hold['reason'];

/** Logs an employee in, or throws `invalid_credentials` / `too_many_attempts`. */
export async function loginWithPassword(ctx: AppContext, attempt: PasswordAttempt): Promise<StaffLogin> {
  const { db } = ctx.store;
  const now = ctx.now();
  const device = verifyDeviceCookie(ctx.config.deviceSecret, attempt.username, attempt.deviceCookie, now);
  const accountKey = delayKey('login-user', attempt.username, ACCOUNT);
  const keys = countedKeys(attempt, device, accountKey);
  const employee = await findEmployeeByUsername(db, attempt.username);

  const hold = await holdOn(db, keys, now);
  if (hold) {
    const entry = failedLogin(employee, hold.reason, attempt, device);
    await recordHeldBack(db, SIGN_IN_HELD_BACK, { actor: entry.actor, ip: attempt.ip, traceId: attempt.traceId, detail: entry.detail }, now);
    throw heldBack(hold);
  }

  // Always run one argon2 verification (against a dummy hash for unknown names) so timing is the same.
  const passwordOk = await verifyPassword(employee?.password_hash ?? null, attempt.password);
  const principal = passwordOk && employee ? await staffPrincipalOf(db, employee, 'cookie') : null;
  if (!principal) {
    const reason: FailureReason = passwordOk ? 'employee_left' : 'invalid_credentials';
    await db.transaction().execute(async (trx) => {
      await countFailure(trx, keys, now);
      await appendAuditEntry(trx, failedLogin(employee, reason, attempt, device), now);
    });
    throw new FlowguardError('invalid_credentials', 'The username or password is wrong.');
  }

  const session = await db.transaction().execute(async (trx) => {
    // The owner proved the password: the account's count and any lock go (a lock is reached only from
    // untrusted clients, so here only from a trusted device). The address keeps its count: one good
    // account must not unlock guessing at the others.
    const lockCleared = device !== null && (await holdOn(trx, [accountKey], now))?.reason === 'locked';
    await clearDelays(trx, device ? [accountKey, ...keys] : [accountKey]);
    const issued = await createSession(trx, { kind: 'staff', employeeId: principal.employeeId }, ctx.config.sessionTtlHours, now);
    await appendAuditEntry(trx, {
      action: 'login.succeeded',
      actor: auditActorOf(principal),
      detail: { method: 'password', ip: attempt.ip, trustedDevice: device !== null, ...(lockCleared ? { lockCleared } : {}) },
      traceId: attempt.traceId,
    }, now);
    return issued;
  });
  return { session, principal, deviceCookie: issueDeviceCookie(ctx.config.deviceSecret, principal.username, now) };
}

/**
 * The counts an attempt answers to. A trusted device: its own budget only, so nobody else's failures
 * can hold it back. Anyone else: the account (delays and lock) and the address (delays).
 */
function countedKeys(attempt: PasswordAttempt, device: TrustedDevice | null, accountKey: DelayKey): DelayKey[] {
  if (device) return [delayKey('login-device', device.nonce, DEVICE)];
  return [accountKey, delayKey('login-ip', attempt.ip, STAFF_ADDRESS)];
}

/** The 429 for an attempt that was not checked; the same for known and unknown usernames. */
function heldBack(hold: Hold): FlowguardError {
  if (hold.reason === 'locked') {
    return new FlowguardError('too_many_attempts',
      'Sign-in with this username is locked after many failed attempts. Sign in from a browser you have used before with this username, or ask an administrator to release it.');
  }
  return new FlowguardError('too_many_attempts',
    `Too many failed sign-ins; wait ${hold.retryAfterSeconds} seconds before trying again. This attempt was not checked.`,
    { retryAfterSeconds: hold.retryAfterSeconds });
}

/** A failed login names a known employee by id; an unknown username is not written down at all. */
function failedLogin(employee: EmployeeTable | undefined, reason: FailureReason, attempt: PasswordAttempt, device: TrustedDevice | null): AuditEventOf<'login.failed'> & { detail: FailedSignIn } {
  return {
    action: 'login.failed',
    actor: employee ? auditActorOfEmployee(employee) : ANONYMOUS,
    detail: { method: 'password', usernameKnown: employee !== undefined, reason, ip: attempt.ip, trustedDevice: device !== null },
    traceId: attempt.traceId,
  };
}
