/**
 * One-time codes for the customer portal, sent by SMS. A six-digit code is weak on its own; what
 * protects it is a short life (config.codeTtlSeconds), a small number of tries per code
 * (config.codeMaxAttempts), single use, a new code replacing the old, and the throttle.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { SmsGateway } from '../notify/sms.ts';
import { matchesOneTimeCode, oneTimeCodeHash } from './one-time-code-hash.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const PORTAL_CODE_DIGITS = 6;

/** Mainland China mobile numbers (11 digits starting 13–19), the only numbers the portal accepts. */
export const MOBILE_PATTERN = '^1[3-9][0-9]{9}$';

/** A uniformly random six-digit code from the OS's CSPRNG. */
export function newPortalCode(): string {
  return String(randomInt(0, 10 ** PORTAL_CODE_DIGITS)).padStart(PORTAL_CODE_DIGITS, '0');
}

/** Masks a mobile as banks print it (138****1234): enough to tell numbers apart, not to call them. */
export function maskMobile(mobile: string): string {
  if (mobile.length < 8) return '*'.repeat(mobile.length);
  return `${mobile.slice(0, 3)}${'*'.repeat(mobile.length - 7)}${mobile.slice(-4)}`;
}

/** The SMS text. Chinese, with the sender's signature first as carriers require, and the usual warning. */
export function portalCodeMessage(code: string, ttlSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(ttlSeconds / 60));
  return `【流水卫士】您的登录验证码为${code}，${minutes}分钟内有效。请勿告知他人。`;
}

/**
 * The customer a mobile belongs to. Numbers are not unique in the bank's data; when several customers
 * share one, the earliest record wins, so the same number always logs in to the same customer.
 */
export async function findCustomerIdByMobile(db: Db, mobile: string): Promise<string | null> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('mobile', '=', mobile)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Replaces any live portal code of the customer with a new one and sends it by SMS. */
export async function issuePortalCode(
  db: Db,
  sms: SmsGateway,
  to: { customerId: string; mobile: string },
  ttlSeconds: number,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable('verification_codes')
    .set({ expires_at: at })
    .where('customer_id', '=', to.customerId)
    .where('employee_id', 'is', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .execute();
  const id = randomUUID();
  const code = newPortalCode();
  await db
    .insertInto('verification_codes')
    .values({
      id,
      customer_id: to.customerId,
      employee_id: null,
      code_hash: oneTimeCodeHash(id, code),
      attempts: 0,
      expires_at: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
      used_at: null,
      created_at: at,
    })
    .execute();
  await sms.send(db, { to: to.mobile, body: portalCodeMessage(code, ttlSeconds) }, now);
}

/**
 * Checks a code against the customer's live portal code and returns the code's id when it matches.
 * The try is counted before the comparison, in one conditional update, so parallel guesses cannot
 * exceed `maxAttempts`; once they are spent the code is dead even for the right digits.
 */
export async function checkPortalCode(db: Db, customerId: string, code: string, maxAttempts: number, now: Date): Promise<string | null> {
  const live = await db
    .selectFrom('verification_codes')
    .select(['id', 'code_hash'])
    .where('customer_id', '=', customerId)
    .where('employee_id', 'is', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!live) return null;
  const counted = await db
    .updateTable('verification_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', live.id)
    .where('attempts', '<', maxAttempts)
    .executeTakeFirst();
  if (counted.numUpdatedRows === 0n) return null;
  return matchesOneTimeCode(live.code_hash, live.id, code) ? live.id : null;
}

/** Spends a matched code; false when a parallel request spent it first. */
export async function markPortalCodeUsed(db: Db, codeId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('verification_codes')
    .set({ used_at: now.toISOString() })
    .where('id', '=', codeId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
