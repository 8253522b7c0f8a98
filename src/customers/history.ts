/**
 * Access transparency: a customer sees every access to their statements — when, which branch and
 * role (under a pseudonym), why, with what reference type, decided how, in what form. Accesses for
 * anti-money-laundering work and for courts and police are withheld by the purpose's rule (no
 * tipping-off); the withholding itself is in the record.
 */
import type { AppContext } from '../server/context.ts';
import { parseEntry, type AuditAction, type StoredEntry } from '../audit/record.ts';
import type { PurposeLookup } from '../core/purposes.ts';

const ACCESS_ACTIONS: AuditAction[] = ['statement.requested', 'statement.viewed', 'statement.exported'];

export interface AccessHistoryItem {
  seq: number;
  time: string;
  kind: 'request' | 'view' | 'export';
  employee: { pseudonym: string | null; branchId: string | null; role: string | null };
  purpose: string;
  purposeLabel: { zh: string; en: string } | null;
  referenceKind: string | null;
  decision: string | null;
  output: string | null;
  /**
   * The entry's index in the verifiable log, so the customer can fetch it (GET /api/v1/log/entries/:i)
   * and check it against the log; null until the integrator has taken it in (a moment).
   */
  logIndex: number | null;
}

/** Whether an access for this purpose is hidden from the customer at `now`. */
export function isWithheld(purposes: PurposeLookup, purposeId: string, accessTime: string, now: Date): boolean {
  const rule = purposes.get(purposeId)?.customerHistory;
  // An unknown (retired) purpose is withheld: when in doubt, do not tip anyone off.
  if (!rule) return true;
  if (rule.mode === 'show') return false;
  return rule.days === null || Date.parse(accessTime) + rule.days * 86_400_000 > now.getTime();
}

/** What an access entry tells the customer; null for any other action (the query selects only accesses). */
function accessOf(e: StoredEntry): { kind: AccessHistoryItem['kind']; purpose: string | undefined; referenceKind: string | undefined; decision: string | null; output: string | undefined } | null {
  switch (e.action) {
    case 'statement.requested':
      return { kind: 'request', purpose: e.detail.purpose, referenceKind: e.detail.referenceKind, decision: e.detail.decision ?? null, output: e.detail.output };
    case 'statement.viewed':
    case 'statement.exported':
      return { kind: e.action === 'statement.viewed' ? 'view' : 'export', purpose: e.detail.purpose, referenceKind: undefined, decision: 'released', output: e.detail.output };
    default:
      return null;
  }
}

export async function accessHistory(ctx: AppContext, customerId: string, opts: { includeWithheld: boolean }): Promise<Array<AccessHistoryItem & { withheld: boolean }>> {
  const rows = await ctx.store.db
    .selectFrom('audit_entries as a')
    .leftJoin('log_leaves as l', 'l.seq', 'a.seq')
    .select(['a.seq', 'a.entry', 'l.log_index'])
    .where('a.customer_id', '=', customerId)
    .where('a.action', 'in', ACCESS_ACTIONS)
    .orderBy('a.seq', 'desc')
    .limit(1000)
    .execute();
  const purposes = ctx.settings.purposes();
  const now = ctx.now();
  const items = rows.flatMap((row) => {
    const e = parseEntry(row.entry);
    const access = accessOf(e);
    if (!access) return [];
    const purpose = access.purpose ?? 'unknown';
    const p = purposes.get(purpose);
    return [{
      seq: Number(row.seq),
      time: e.time,
      kind: access.kind,
      employee: { pseudonym: e.actor.pseudonym ?? null, branchId: e.actor.branchId ?? null, role: e.actor.bankRole ?? null },
      purpose,
      purposeLabel: p?.label ?? null,
      referenceKind: access.referenceKind ?? p?.referenceKind ?? null,
      decision: access.decision,
      output: access.output ?? null,
      logIndex: row.log_index === null ? null : Number(row.log_index),
      withheld: isWithheld(purposes, purpose, e.time, now),
    }];
  });
  return opts.includeWithheld ? items : items.filter((i) => !i.withheld);
}
