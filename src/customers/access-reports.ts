/**
 * "I don't recognise this access": a customer's report of an access in their history, and the list
 * the bank's security team works from. Reached only through the customer-data accessor.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../server/context.ts';
import type { AccessReportTable } from '../store/schema.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import { maskFullNumbers } from '../privacy/full-numbers.ts';
import { accessHistory } from './history.ts';

/** The security team reads the newest reports first; older ones are in the record. */
const REPORTS_LISTED = 500;

export async function fileAccessReport(ctx: AppContext, customerId: string, seq: number, comment: string, traceId: string): Promise<{ id: string }> {
  const visible = await accessHistory(ctx, customerId, { includeWithheld: false });
  if (!visible.some((i) => i.seq === seq)) throw new FlowguardError('not_found', `No access ${seq} in your history.`);
  const now = ctx.now();
  const id = `RP-${randomUUID()}`;
  // Customers write their card or ID number into a complaint; the report keeps it masked.
  const masked = maskFullNumbers(comment);
  await ctx.store.db.transaction().execute(async (tx) => {
    await tx.insertInto('access_reports').values({ id, customer_id: customerId, audit_seq: seq, comment: masked, status: 'open', created_at: now.toISOString() }).execute();
    await appendAuditEntry(tx, { action: 'portal.access_reported', actor: { kind: 'customer', id: customerId }, customerId, traceId, detail: { reportId: id, seq } }, now);
  });
  return { id };
}

export async function listAccessReports(ctx: AppContext): Promise<AccessReportTable[]> {
  return ctx.store.db.selectFrom('access_reports').selectAll().orderBy('created_at', 'desc').limit(REPORTS_LISTED).execute();
}
