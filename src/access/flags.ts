/**
 * Silent flags: what the policy raised about a request without telling the requester (a honeytoken
 * touched, a related party, break-glass…), one row per flag in `flags` (access/requests.ts writes
 * them in the request's transaction). Oversight reads them here; detection and cases will consume
 * the same rows. The requester never sees them: only oversight roles reach this list.
 */
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import type { FlagTable } from '../store/schema.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { pseudonymKey, pseudonymOf } from '../audit/actor-pseudonyms.ts';
import { auditActorOf } from '../identity/principal.ts';
import { readRecordTime } from './record-time-filter.ts';

export interface FlagFilter {
  /** A flag kind as the policy names it, e.g. `honeytoken_access`. */
  kind?: string | undefined;
  /** A day (from its start, UTC) or a UTC time; inclusive. */
  since?: string | undefined;
  limit: number;
}

/** A flag as analysts see it: the employee under the keyed pseudonym the audit record uses. */
export interface FlagView {
  id: string;
  kind: string;
  severity: FlagTable['severity'];
  requestId: string | null;
  /** Reveal through POST /api/v1/oversight/employees/:pseudonym/reveal (recorded). */
  employee: string | null;
  customerId: string | null;
  createdAt: string;
}

/**
 * The newest flags matching `filter`, read and recorded (`flags.listed`) in one transaction, so no
 * analyst reads a flag without the record saying so.
 */
export async function listFlags(ctx: AppContext, analyst: StaffPrincipal, filter: FlagFilter, traceId: string): Promise<FlagView[]> {
  const since = filter.since === undefined ? undefined : readRecordTime('from', filter.since);
  return ctx.store.db.transaction().execute(async (tx) => {
    let query = tx.selectFrom('flags').selectAll();
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (since !== undefined) query = query.where('created_at', '>=', since);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).execute();
    await appendAuditEntry(tx, {
      action: 'flags.listed', // DIRECT_READS.silentFlags in customer-data.ts names this read
      actor: auditActorOf(analyst),
      traceId,
      detail: { filter: { kind: filter.kind ?? null, since: since ?? null }, results: rows.length },
    }, ctx.now());
    const key = pseudonymKey();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      severity: r.severity,
      requestId: r.request_id,
      employee: r.employee_id === null ? null : pseudonymOf(key, r.employee_id),
      customerId: r.customer_id,
      createdAt: r.created_at,
    }));
  });
}
