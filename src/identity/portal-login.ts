/**
 * Customer portal login by SMS code. Whether a number belongs to a customer is never revealed: the
 * code request always succeeds the same way, and a wrong code reads the same for any number.
 */
import { appendAuditEntry } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import type { AppContext } from '../server/context.ts';
import { ANONYMOUS } from './principal.ts';
import { checkPortalCode, findCustomerIdByMobile, issuePortalCode, markPortalCodeUsed, maskMobile } from './portal-codes.ts';
import { createSession, type IssuedSession } from './sessions.ts';
import { clearFailures, isLocked, PER_ADDRESS, PER_NAME, recordFailure, throttleKey } from './throttle.ts';

export interface PortalCodeRequest { mobile: string; ip: string; traceId: string }
export interface PortalCodeLogin extends PortalCodeRequest { code: string }

const TOO_MANY = 'Too many attempts for this number or from this device; wait 15 minutes and try again.';

/**
 * Sends a login code if the number is a customer's. Every request counts against the number and the
 * address (an SMS costs money and can be used to pester someone), whether or not a code is sent.
 */
export async function requestPortalCode(ctx: AppContext, req: PortalCodeRequest): Promise<{ expiresInSeconds: number }> {
  const { db } = ctx.store;
  const now = ctx.now();
  const keys = [throttleKey('sms-mobile', req.mobile, PER_NAME), throttleKey('sms-ip', req.ip, PER_ADDRESS)];
  const mobile = maskMobile(req.mobile);
  if (await isLocked(db, keys, now)) {
    await appendAuditEntry(db, { action: 'request.refused', actor: ANONYMOUS, detail: { reason: 'too_many_attempts', act: 'portal.code', mobile, ip: req.ip }, traceId: req.traceId }, now);
    throw new FlowguardError('too_many_attempts', TOO_MANY);
  }
  const customerId = await findCustomerIdByMobile(db, req.mobile);
  await db.transaction().execute(async (trx) => {
    await recordFailure(trx, keys, now);
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
  const keys = [mobileKey, throttleKey('portal-ip', req.ip, PER_ADDRESS)];
  const mobile = maskMobile(req.mobile);
  const customerId = await findCustomerIdByMobile(db, req.mobile);
  const failed = (reason: string) => ({
    action: 'login.failed' as const,
    actor: ANONYMOUS,
    customerId,
    detail: { method: 'portal_code', reason, mobile, ip: req.ip },
    traceId: req.traceId,
  });

  if (await isLocked(db, keys, now)) {
    await appendAuditEntry(db, failed('locked'), now);
    throw new FlowguardError('too_many_attempts', TOO_MANY);
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
      await recordFailure(trx, keys, now);
      await appendAuditEntry(trx, failed('code_invalid'), now);
    });
    throw new FlowguardError('code_invalid', 'The code is wrong, used or expired; request a new code and try again.');
  }
  return session;
}
