/**
 * Customer portal login by SMS code. Whether a number belongs to a customer is never revealed: the
 * code request always succeeds the same way, and a wrong code reads the same for any number.
 *
 * Each number keeps its fixed limits (throttle.ts); each client address earns growing delays instead
 * (login-delays.ts), because mobile carriers put many customers behind one address.
 */
import { appendAuditEntry } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import type { AppContext } from '../server/context.ts';
import { ANONYMOUS } from './principal.ts';
import { CODE_SEND_HELD_BACK, recordHeldBack, SIGN_IN_HELD_BACK } from './held-back.ts';
import { checkPortalCode, findCustomerIdByMobile, issuePortalCode, markPortalCodeUsed, maskMobile } from './portal-codes.ts';
import { createSession, type IssuedSession } from './sessions.ts';
import { countFailure, delayKey, holdOn, PORTAL_ADDRESS, SMS_ADDRESS, type DelayKey, type Hold } from './login-delays.ts';
import { clearFailures, isLocked, PER_NAME, recordFailure, throttleKey, type ThrottleKey } from './throttle.ts';

export interface PortalCodeRequest { mobile: string; ip: string; traceId: string }
export interface PortalCodeLogin extends PortalCodeRequest { code: string }

const TOO_MANY = 'Too many attempts for this number; wait 15 minutes and try again.';

/** Why an attempt is refused unchecked: the number's lock, or the address's delay (with its wait). */
async function refusalOf(ctx: AppContext, mobileKeys: ThrottleKey[], addressKey: DelayKey, now: Date): Promise<Hold | null> {
  if (await isLocked(ctx.store.db, mobileKeys, now)) return { reason: 'locked' };
  return holdOn(ctx.store.db, [addressKey], now);
}

function tooMany(hold: Hold): FlowguardError {
  if (hold.reason === 'locked') return new FlowguardError('too_many_attempts', TOO_MANY);
  return new FlowguardError('too_many_attempts',
    `Too many attempts from this network; wait ${hold.retryAfterSeconds} seconds and try again.`,
    { retryAfterSeconds: hold.retryAfterSeconds });
}

/**
 * Sends a login code if the number is a customer's. Every request counts against the number and the
 * address (an SMS costs money and can be used to pester someone), whether or not a code is sent.
 */
export async function requestPortalCode(ctx: AppContext, req: PortalCodeRequest): Promise<{ expiresInSeconds: number }> {
  const { db } = ctx.store;
  const now = ctx.now();
  const mobileKeys = [throttleKey('sms-mobile', req.mobile, PER_NAME)];
  const addressKey = delayKey('sms-ip', req.ip, SMS_ADDRESS);
  const mobile = maskMobile(req.mobile);
  const refusal = await refusalOf(ctx, mobileKeys, addressKey, now);
  if (refusal) {
    await recordHeldBack(db, CODE_SEND_HELD_BACK, { actor: ANONYMOUS, ip: req.ip, traceId: req.traceId, detail: { reason: 'too_many_attempts', hold: refusal.reason, act: 'portal.code', mobile, ip: req.ip } }, now);
    throw tooMany(refusal);
  }
  const customerId = await findCustomerIdByMobile(db, req.mobile);
  await db.transaction().execute(async (trx) => {
    await recordFailure(trx, mobileKeys, now);
    await countFailure(trx, [addressKey], now);
    if (customerId) await issuePortalCode(trx, ctx.sms, { customerId, mobile: req.mobile }, ctx.config.codeTtlSeconds, now);
    await appendAuditEntry(trx, {
      action: 'portal.code_sent',
      actor: ANONYMOUS,
      customerId,
      detail: { mobile, delivered: customerId !== null, ip: req.ip },
      traceId: req.traceId,
    }, now);
  });
  return { expiresInSeconds: ctx.config.codeTtlSeconds };
}

/** Exchanges a mobile and its code for a customer session, or throws `code_invalid` / `too_many_attempts`. */
export async function loginWithPortalCode(ctx: AppContext, req: PortalCodeLogin): Promise<IssuedSession> {
  const { db } = ctx.store;
  const now = ctx.now();
  const mobileKey = throttleKey('portal-mobile', req.mobile, PER_NAME);
  const addressKey = delayKey('portal-ip', req.ip, PORTAL_ADDRESS);
  const mobile = maskMobile(req.mobile);
  const customerId = await findCustomerIdByMobile(db, req.mobile);
  const failed = (reason: string) => ({
    action: 'login.failed' as const,
    actor: ANONYMOUS,
    customerId,
    detail: { method: 'portal_code' as const, reason, mobile, ip: req.ip },
    traceId: req.traceId,
  });

  const refusal = await refusalOf(ctx, [mobileKey], addressKey, now);
  if (refusal) {
    const entry = failed(refusal.reason);
    await recordHeldBack(db, SIGN_IN_HELD_BACK, { actor: entry.actor, ip: req.ip, traceId: req.traceId, detail: { ...entry.detail, ...(customerId ? { customerKnown: true } : {}) } }, now);
    throw tooMany(refusal);
  }
  const codeId = customerId ? await checkPortalCode(db, customerId, req.code, ctx.config.codeMaxAttempts, now) : null;
  const session = codeId && customerId
    ? await db.transaction().execute(async (trx) => {
        if (!(await markPortalCodeUsed(trx, codeId, now))) return null;
        await clearFailures(trx, [mobileKey]);
        const issued = await createSession(trx, { kind: 'customer', customerId }, ctx.config.sessionTtlHours, now);
        await appendAuditEntry(trx, {
          action: 'portal.login',
          actor: { kind: 'customer', id: customerId },
          customerId,
          detail: { method: 'portal_code', ip: req.ip },
          traceId: req.traceId,
        }, now);
        return issued;
      })
    : null;
  if (!session) {
    await db.transaction().execute(async (trx) => {
      await recordFailure(trx, [mobileKey], now);
      await countFailure(trx, [addressKey], now);
      await appendAuditEntry(trx, failed('code_invalid'), now);
    });
    throw new FlowguardError('code_invalid', 'The code is wrong, used or expired; request a new code and try again.');
  }
  return session;
}
