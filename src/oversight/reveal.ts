/**
 * Revealing who is behind a pseudonym is an act of its own: it needs a reason, and the reveal is
 * appended to the record (who revealed whom, why) before the name is returned. The same holds for
 * the openings of an entry's employee commitments: they prove to a third party which employee an
 * entry names, so they are released only this way (and in evidence bundles).
 */
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import { appendAuditEntry, employeeRef, parseEntry } from '../audit/record.ts';
import { opensCommitment, pseudonymOf, pseudonymKey } from '../audit/actor-pseudonyms.ts';
import { maskFullNumbers } from '../privacy/full-numbers.ts';
import { auditActorOf } from '../identity/principal.ts';
import { FlowguardError } from '../errors.ts';
import { employeeIdByPseudonym } from './employee-by-pseudonym.ts';

export async function revealEmployee(ctx: AppContext, analyst: StaffPrincipal, pseudonym: string, reason: string, traceId: string) {
  const db = ctx.store.db;
  const id = await employeeIdByPseudonym(db, pseudonym);
  const e = id === null ? undefined : await db.selectFrom('employees').select(['id', 'display_name', 'pseudonym', 'branch_id', 'bank_role', 'status']).where('id', '=', id).executeTakeFirst();
  if (!e) throw new FlowguardError('not_found', `No employee has the pseudonym ${pseudonym}.`);
  await appendAuditEntry(db, {
    action: 'employee.revealed',
    actor: auditActorOf(analyst),
    traceId,
    // Free text: a full card or ID number typed into it is kept masked (the record refuses full ones).
    detail: { employee: employeeRef(e.id), reason: maskFullNumbers(reason) },
  }, ctx.now());
  return { pseudonym, keyedPseudonym: pseudonymOf(pseudonymKey(), e.id), displayPseudonym: e.pseudonym, employeeId: e.id, displayName: e.display_name, branchId: e.branch_id, bankRole: e.bank_role, status: e.status };
}

/** One employee named in an entry, with what opens its commitment. */
export interface EntryOpening {
  /** Where in the entry (JSON Pointer), e.g. `/actor` or `/detail/requester`. */
  path: string;
  pseudonym: string | null;
  commitment: string | null;
  employeeId: string;
  /** The 32-byte nonce, base64: SHA-256("fg-actor/v1\n" ‖ nonce ‖ employeeId) is the commitment. */
  nonce: string;
  /** Whether the opening opens the commitment in the entry (a check the bank makes before answering). */
  opens: boolean;
  displayName: string | null;
}

/** The value at a JSON Pointer (RFC 6901) in a parsed entry. */
function at(doc: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, token) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[token] : undefined), doc);
}

/**
 * Releases the openings of entry `seq` to `analyst`, with a reason; recorded before they are returned.
 * `not_found` when the entry does not exist (or was shredded: its openings went with it).
 */
export async function revealEntryOpenings(ctx: AppContext, analyst: StaffPrincipal, seq: number, reason: string, traceId: string): Promise<{ seq: number; openings: EntryOpening[] }> {
  const db = ctx.store.db;
  const entry = await db.selectFrom('audit_entries').select(['entry', 'customer_id']).where('seq', '=', seq).executeTakeFirst();
  if (!entry) throw new FlowguardError('not_found', `No audit entry ${seq}; an entry shredded under retention has no openings left.`);
  const rows = await db.selectFrom('entry_openings').select(['path', 'employee_id', 'nonce']).where('seq', '=', seq).orderBy('path').execute();
  const names = rows.length === 0 ? [] : await db.selectFrom('employees').select(['id', 'display_name']).where('id', 'in', rows.map((r) => r.employee_id)).execute();
  await appendAuditEntry(db, {
    action: 'employee.revealed',
    actor: auditActorOf(analyst),
    customerId: entry.customer_id,
    traceId,
    detail: { seq, paths: rows.map((r) => r.path), employees: rows.map((r) => employeeRef(r.employee_id)), reason: maskFullNumbers(reason) },
  }, ctx.now());
  const doc = parseEntry(entry.entry);
  return {
    seq,
    openings: rows.map((r) => {
      const shown = at(doc, r.path) as { pseudonym?: unknown; commitment?: unknown } | undefined;
      const commitment = typeof shown?.commitment === 'string' ? shown.commitment : null;
      return {
        path: r.path,
        pseudonym: typeof shown?.pseudonym === 'string' ? shown.pseudonym : null,
        commitment,
        employeeId: r.employee_id,
        nonce: Buffer.from(r.nonce).toString('base64'),
        opens: commitment !== null && opensCommitment(commitment, r.employee_id, Buffer.from(r.nonce)),
        displayName: names.find((n) => n.id === r.employee_id)?.display_name ?? null,
      };
    }),
  };
}
