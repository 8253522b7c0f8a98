/**
 * Sends the one-time code that proves a customer stands at the counter (the 中信银行 finding: counter
 * queries without the customer's confirmation were uncontrolled). Only staff who serve customers at
 * a counter send one, and only a few: each code is a text message to the customer's phone, so
 * unlimited codes would let anyone on staff harass a customer or run up the bank's SMS bill.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import type { Database } from '../store/schema.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { maskValue, DEFAULT_MASKING } from './masking.ts';
import { oneTimeCodeHash } from '../identity/one-time-code-hash.ts';
import { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { recordRefusal } from './refusals.ts';

export interface CounterCodeSent { codeId: string; expiresAt: string; sentTo: string }

/** Bank roles that serve a customer at a counter, at any branch (a customer may walk into any). */
export const COUNTER_ROLES: readonly StaffPrincipal['bankRole'][] = ['teller', 'relationship_manager', 'branch_manager'];

/**
 * The limits, over a rolling window of 10 minutes. One visit needs one code and perhaps a resend or
 * two when the message is late; six per customer still lets a second counter serve them, and four
 * per employee covers a teller serving customers one after another (a code lives 5 minutes).
 */
export const COUNTER_CODE_LIMITS = { windowMs: 10 * 60_000, perCustomer: 6, perEmployee: 4 } as const;

export async function sendCounterCode(ctx: AppContext, staff: StaffPrincipal, customerId: string, traceId: string): Promise<CounterCodeSent> {
  const now = ctx.now();
  try {
    assertServesAtCounter(staff);
    return await ctx.store.db.transaction().execute(async (tx) => {
      const customer = await tx.selectFrom('customers').select(['id', 'mobile']).where('id', '=', customerId).executeTakeFirst();
      if (!customer) throw new FlowguardError('not_found', `No customer ${customerId}; search for the customer first.`);
      await serialiseCounterCodes(tx, staff.employeeId, customerId);
      await assertWithinLimits(tx, staff.employeeId, customerId, now);
      const codeId = `CC-${randomUUID()}`;
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const expiresAt = new Date(now.getTime() + ctx.config.codeTtlSeconds * 1000).toISOString();
      await tx
        .insertInto('verification_codes')
        .values({ id: codeId, customer_id: customerId, employee_id: staff.employeeId, code_hash: oneTimeCodeHash(codeId, code), attempts: 0, expires_at: expiresAt, used_at: null, created_at: now.toISOString() })
        .execute();
      await ctx.sms.send(tx, { to: customer.mobile, body: `【流水卫士】您正在柜面办理流水查询，验证码${code}，${Math.round(ctx.config.codeTtlSeconds / 60)}分钟内有效。如非本人在场办理，请勿告知任何人。` }, now);
      const sentTo = maskValue(customer.mobile, DEFAULT_MASKING.mobile, 'mobile');
      await appendAuditEntry(tx, { action: 'customer.code_sent', actor: staffActor(staff), customerId, traceId, detail: { codeId, sentTo } }, now);
      return { codeId, expiresAt, sentTo };
    });
  } catch (error) {
    if (error instanceof FlowguardError && !error.recorded) await recordRefusal(ctx, staff, 'customer.code_refused', error, traceId, { customerId });
    throw error;
  }
}

/** Only counter staff send codes: a back-office or head-office employee has no customer in front of them. */
export function assertServesAtCounter(staff: StaffPrincipal): void {
  if (!COUNTER_ROLES.includes(staff.bankRole)) {
    throw new FlowguardError('forbidden', `Counter codes are sent by tellers, relationship managers and branch managers serving the customer in person; your bank role (${staff.bankRole.replace('_', ' ')}) does not send them.`);
  }
}

/**
 * Takes the write locks on the employee's and the customer's rows, in that order, so concurrent sends
 * for either (from any node) count and insert one after another: without it two transactions on
 * PostgreSQL could both count five and both send a sixth. An update to the same value is the one row
 * lock both engines share (SQLite: the first write takes the database's write lock). Nothing else
 * updates these rows, and every sender locks employee before customer, so no cycle can form.
 */
async function serialiseCounterCodes(tx: Transaction<Database>, employeeId: string, customerId: string): Promise<void> {
  await tx.updateTable('employees').set((eb) => ({ id: eb.ref('id') })).where('id', '=', employeeId).execute();
  await tx.updateTable('customers').set((eb) => ({ id: eb.ref('id') })).where('id', '=', customerId).execute();
}

/** Refuses with 429 once the customer or the employee has reached a limit; says when to try again. */
async function assertWithinLimits(tx: Transaction<Database>, employeeId: string, customerId: string, now: Date): Promise<void> {
  const { windowMs, perCustomer, perEmployee } = COUNTER_CODE_LIMITS;
  const since = new Date(now.getTime() - windowMs).toISOString();
  // Counter codes only: portal sign-in codes (no employee) have their own throttle.
  const toCustomer = await tx.selectFrom('verification_codes').select('created_at')
    .where('customer_id', '=', customerId).where('employee_id', 'is not', null).where('created_at', '>', since)
    .orderBy('created_at', 'desc').limit(perCustomer).execute();
  const byEmployee = await tx.selectFrom('verification_codes').select('created_at')
    .where('employee_id', '=', employeeId).where('created_at', '>', since)
    .orderBy('created_at', 'desc').limit(perEmployee).execute();
  const waitFor = (sent: { created_at: string }[], limit: number) =>
    sent.length < limit ? 0 : Math.max(1, Math.ceil((Date.parse(sent[limit - 1]!.created_at) + windowMs - now.getTime()) / 1000));
  const customerWait = waitFor(toCustomer, perCustomer);
  const employeeWait = waitFor(byEmployee, perEmployee);
  if (customerWait === 0 && employeeWait === 0) return;
  const retryAfterSeconds = Math.max(customerWait, employeeWait);
  const minutes = windowMs / 60_000;
  const why = customerWait > 0
    ? `This customer has been sent ${perCustomer} counter codes in the last ${minutes} minutes, the most the bank allows`
    : `You have sent ${perEmployee} counter codes in the last ${minutes} minutes, the most the bank allows`;
  throw new FlowguardError(
    'rate_limited',
    `${why}; try again in ${retryAfterSeconds} seconds. If the customer has not received a code, check the mobile number on file with them rather than sending another.`,
    { retryAfterSeconds, limit: customerWait > 0 ? 'customer' : 'employee' },
  );
}
