/**
 * The audit record as analysts read it: filtered lists and single entries, with employees under
 * their pseudonyms. Names and employee ids stay hidden until someone reveals them (reveal.ts).
 */
import type { AppContext } from '../server/context.ts';
import { parseEntry } from '../audit/record.ts';
import { readableEntry, type ReadableEntry } from '../audit/entry-view.ts';
import { employeeIdByPseudonym } from './employee-by-pseudonym.ts';

export interface AuditRecordFilter {
  action?: string;
  /** An employee's pseudonym: as entries carry it (P-3fa2c9e07b41d865) or the display one (柜员-7F3A). */
  pseudonym?: string;
  customerId?: string;
  requestId?: string;
  from?: string;
  to?: string;
  /** Entries with seq below this one (paging backwards). */
  before?: number;
  limit: number;
}

export interface AuditRecordRow {
  seq: number;
  time: string;
  action: string;
  actor: { kind: string; pseudonym: string | null; branchId: string | null; bankRole: string | null };
  customerId: string | null;
  requestId: string | null;
  /** Position in the verifiable log, or null until the integrator has taken the entry in. */
  logIndex: number | null;
}


/** Newest first, at most `limit` entries matching every given filter. */
export async function listAuditRecord(ctx: AppContext, f: AuditRecordFilter): Promise<AuditRecordRow[]> {
  let q = ctx.store.db.selectFrom('audit_entries as a')
    .leftJoin('log_leaves as l', 'l.seq', 'a.seq')
    .select(['a.seq', 'a.entry', 'a.created_at', 'a.action', 'a.customer_id', 'a.request_id', 'l.log_index'])
    .orderBy('a.seq', 'desc').limit(f.limit);
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.customerId) q = q.where('a.customer_id', '=', f.customerId);
  if (f.requestId) q = q.where('a.request_id', '=', f.requestId);
  if (f.from) q = q.where('a.created_at', '>=', f.from);
  if (f.to) q = q.where('a.created_at', '<=', f.to);
  if (f.before) q = q.where('a.seq', '<', f.before);
  if (f.pseudonym) {
    // actor_id is the record's internal index of the acting employee (never in an entry's bytes).
    const id = await employeeIdByPseudonym(ctx.store.db, f.pseudonym);
    if (!id) return [];
    q = q.where('a.actor_id', '=', id);
  }
  const rows = await q.execute();
  return rows.map((r) => summarise(r, parseEntry(r.entry)));
}

interface RecordRow { seq: number; created_at: string; action: string; customer_id: string | null; request_id: string | null; log_index: number | null }

/** A row as analysts see it: the actor by pseudonym, branch and role only. */
function summarise(r: RecordRow, e: Pick<ReadableEntry, 'actor'>) {
  return {
    seq: Number(r.seq),
    time: r.created_at,
    action: r.action,
    actor: { kind: e.actor.kind, pseudonym: e.actor.pseudonym ?? null, branchId: e.actor.branchId ?? null, bankRole: e.actor.bankRole ?? null },
    customerId: r.customer_id,
    requestId: r.request_id,
    logIndex: r.log_index === null ? null : Number(r.log_index),
  };
}

/** One entry, pseudonymised, or null when there is none with that seq. */
export async function auditRecordEntry(ctx: AppContext, seq: number) {
  const r = await ctx.store.db.selectFrom('audit_entries as a')
    .leftJoin('log_leaves as l', 'l.seq', 'a.seq')
    .select(['a.seq', 'a.entry', 'a.created_at', 'a.action', 'a.customer_id', 'a.request_id', 'l.log_index'])
    .where('a.seq', '=', seq).executeTakeFirst();
  if (!r) return null;
  // Version-2 entries name no employee; older ones are shown without the names they hold.
  const e = readableEntry(parseEntry(r.entry));
  return {
    ...summarise(r, e),
    detail: e.detail,
    trace: e.trace,
  };
}
