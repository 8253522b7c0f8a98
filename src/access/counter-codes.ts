/**
 * Sends the one-time code that proves a customer stands at the counter (the 中信银行 finding: counter
 * queries without the customer's confirmation were uncontrolled).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { AppContext, StaffPrincipal } from '../server/context.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { maskValue, DEFAULT_MASKING } from './masking.ts';
import { hashCode } from './references.ts';
import { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';

export interface CounterCodeSent { codeId: string; expiresAt: string; sentTo: string }

export async function sendCounterCode(ctx: AppContext, staff: StaffPrincipal, customerId: string, traceId: string): Promise<CounterCodeSent> {
  const now = ctx.now();
  return ctx.store.db.transaction().execute(async (tx) => {
    const customer = await tx.selectFrom('customers').select(['id', 'mobile']).where('id', '=', customerId).executeTakeFirst();
    if (!customer) throw new FlowguardError('not_found', `No customer ${customerId}; search for the customer first.`);
    const codeId = `CC-${randomUUID()}`;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(now.getTime() + ctx.config.codeTtlSeconds * 1000).toISOString();
    await tx
      .insertInto('verification_codes')
      .values({ id: codeId, customer_id: customerId, employee_id: staff.employeeId, code_hash: hashCode(codeId, code), attempts: 0, expires_at: expiresAt, used_at: null, created_at: now.toISOString() })
      .execute();
    await ctx.sms.send(tx, { to: customer.mobile, body: `【流水卫士】您正在柜面办理流水查询，验证码${code}，${Math.round(ctx.config.codeTtlSeconds / 60)}分钟内有效。如非本人在场办理，请勿告知任何人。` }, now);
    const sentTo = maskValue(customer.mobile, DEFAULT_MASKING.mobile, 'mobile');
    await appendAuditEntry(tx, { action: 'customer.code_sent', actor: staffActor(staff), customerId, traceId, detail: { codeId, sentTo } }, now);
    return { codeId, expiresAt, sentTo };
  });
}
