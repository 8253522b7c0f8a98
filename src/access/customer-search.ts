/**
 * Finding a customer to request a statement for. Results are masked and say nothing about why a
 * customer might be special (no segment, no flags); every search is recorded.
 */
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { maskValue } from './masking.ts';
import { FlowguardError } from '../errors.ts';

export interface CustomerHit { id: string; name: string; mobile: string; branchId: string; accounts: Array<{ id: string; cardNumber: string }> }

const MAX_HITS = 20;

export async function searchCustomers(ctx: AppContext, staff: StaffPrincipal, q: string, traceId: string): Promise<CustomerHit[]> {
  const term = q.trim();
  if (term.length < 2) throw new FlowguardError('invalid_request', 'Type at least 2 characters: a customer number, a full mobile number or part of a name.');
  const rules = ctx.settings.masking();
  const db = ctx.store.db;
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'name', 'mobile', 'branch_id'])
    .where((eb) => eb.or([eb('id', '=', term), eb('mobile', '=', term), eb('name', 'like', `%${term.replace(/[%_\\]/g, '')}%`)]))
    .orderBy('id')
    .limit(MAX_HITS)
    .execute();
  const accounts = rows.length
    ? await db.selectFrom('accounts').select(['id', 'customer_id', 'card_number']).where('customer_id', 'in', rows.map((r) => r.id)).orderBy('id').execute()
    : [];
  await appendAuditEntry(db, {
    action: 'customer.searched',
    actor: staffActor(staff),
    traceId,
    // The term may be a name or a number: keep its shape, not its content.
    detail: { termKind: /^\d+$/.test(term) ? 'digits' : /^C\d+$/.test(term) ? 'customer_id' : 'text', termLength: [...term].length, hits: rows.map((r) => r.id) },
  }, ctx.now());
  return rows.map((r) => ({
    id: r.id,
    name: maskValue(r.name, rules.customer_name, 'customer_name'),
    mobile: maskValue(r.mobile, rules.mobile, 'mobile'),
    branchId: r.branch_id,
    accounts: accounts.filter((a) => a.customer_id === r.id).map((a) => ({ id: a.id, cardNumber: maskValue(a.card_number, rules.card_number, 'card_number') })),
  }));
}
