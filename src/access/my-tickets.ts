/** The open tickets assigned to me for a customer: the references I can cite in a request. */
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';

export async function myOpenTickets(ctx: AppContext, staff: StaffPrincipal, customerId: string | undefined) {
  let q = ctx.store.db
    .selectFrom('service_tickets')
    .select(['id', 'customer_id', 'kind', 'document_number', 'opened_at'])
    .where('assigned_employee_id', '=', staff.employeeId)
    .where('status', '=', 'open');
  if (customerId) q = q.where('customer_id', '=', customerId);
  const rows = await q.orderBy('opened_at', 'desc').limit(100).execute();
  return rows.map((r) => ({ id: r.id, customerId: r.customer_id, kind: r.kind, documentNumber: r.document_number, openedAt: r.opened_at }));
}
