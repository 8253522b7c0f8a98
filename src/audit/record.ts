/**
 * The append-only record: every decision, view, export, approval, login, configuration change and
 * refusal becomes one entry, stored as RFC 8785 canonical JSON bytes with a random salt (the salt
 * lets the public log hold a commitment instead of the content; see transparency-log.md).
 *
 * From version 2 an entry names no employee: each one (actor, requester, approver…) appears as a
 * keyed pseudonym and a commitment (entry-actors.ts), and the openings are stored in `entry_openings`
 * in the same transaction. The `actor_id` column of `audit_entries` still holds the acting employee's
 * ID: it is an index for the oversight filters and the dashboard, never part of the entry bytes or
 * the leaf, never served with an entry, and it is deleted with the entry when it is shredded.
 *
 * What each action's `detail` holds, and how refusals are named (`<subject>.refused` by the service
 * that owns the subject, `request.refused` only by the HTTP layer before any service), is in
 * actions.ts. Consumers read the record in order from an offset through record-stream.ts.
 */
import { randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import { findFullNumbers } from '../privacy/full-numbers.ts';
import { FlowguardError } from '../errors.ts';
import { pseudonymiseEmployees, type ActorOpening, type EmployeeRef } from './entry-actors.ts';
import type { ActionDetails, AuditActor, StoredEntry, WritableAction } from './actions.ts';
import { pseudonymKey } from './actor-pseudonyms.ts';

export { employeeRef } from './entry-actors.ts';

/** Version of the entry format; bump it when a field's meaning changes, never reuse a number. */
export const ENTRY_VERSION = 2;

// The actions and each one's detail type live in ./actions.ts (no imports, so the console can use
// them): add a new action there, with its detail type and a label in web/src/labels.ts.
export type { AuditAction, AuditActor, WritableAction, StoredEntry, StoredEntryOf, ActionDetails } from './actions.ts';

/** One event of action `A`: its detail type-checks against the action's. */
export interface AuditEventOf<A extends WritableAction> {
  action: A;
  actor: AuditActor;
  customerId?: string | null;
  requestId?: string | null;
  /** Action-specific facts (actions.ts); employees in it as `employeeRef(id)` or actor objects. */
  detail: ActionDetails<EmployeeRef, AuditActor>[A];
  /** The HTTP request id, to join the record with server logs. */
  traceId?: string;
}

/** Any event a writer may append: narrow on `action`. */
export type AuditEvent = { [A in WritableAction]: AuditEventOf<A> }[WritableAction];

export interface AppendedEntry { seq: number; createdAt: string; bytes: Buffer }

type Db = Kysely<Database> | Transaction<Database>;

/** An entry ready to insert: its canonical bytes and the openings of the employees it names. */
export interface BuiltEntry { bytes: Buffer; openings: ActorOpening[] }

/**
 * Builds the canonical bytes of an entry, employees pseudonymised under `key`; refuses any entry
 * that carries a full card or ID number.
 */
export function buildEntry(event: AuditEvent, createdAt: string, key: Buffer = pseudonymKey()): BuiltEntry {
  const { walk, openings } = pseudonymiseEmployees(key);
  const doc = {
    v: ENTRY_VERSION,
    time: createdAt,
    action: event.action,
    actor: walk(event.actor, '/actor'),
    customer: event.customerId ?? null,
    request: event.requestId ?? null,
    detail: walk(event.detail, '/detail'),
    trace: event.traceId ?? null,
  };
  const text = canonicalize(doc);
  if (text === undefined) throw new FlowguardError('internal', 'An audit entry could not be serialised.');
  const hits = findFullNumbers(text);
  if (hits.length > 0) {
    throw new FlowguardError('internal', `Refusing to record an entry holding a full ${hits[0]!.kind} number (${hits[0]!.masked}).`);
  }
  return { bytes: Buffer.from(text, 'utf8'), openings };
}

/** Stores the openings of entry `seq` (same transaction as the entry: they commit together). */
export async function insertOpenings(db: Db, rows: ReadonlyArray<{ seq: number; openings: readonly ActorOpening[] }>): Promise<void> {
  const values = rows.flatMap(({ seq, openings }) => openings.map((o) => ({ seq, path: o.path, employee_id: o.employeeId, nonce: o.nonce })));
  // 4 parameters a row: 500 rows stay well below SQLite's limit.
  for (let at = 0; at < values.length; at += 500) await db.insertInto('entry_openings').values(values.slice(at, at + 500)).execute();
}

/**
 * Appends one entry. Call it inside the transaction that makes the act happen, so the act and its
 * record commit together, and before any byte of the response is sent. An entry naming employees is
 * written with its openings in one transaction (the caller's, or one of its own).
 */
export async function appendAuditEntry(db: Db, event: AuditEvent, now: Date = new Date()): Promise<AppendedEntry> {
  const createdAt = now.toISOString();
  const { bytes, openings } = buildEntry(event, createdAt);
  const insert = async (tx: Db) => {
    const row = await tx
      .insertInto('audit_entries')
      .values({
        entry: bytes,
        salt: randomBytes(32),
        action: event.action,
        actor_id: event.actor.id,
        customer_id: event.customerId ?? null,
        request_id: event.requestId ?? null,
        created_at: createdAt,
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    await insertOpenings(tx, [{ seq: Number(row.seq), openings }]);
    return { seq: row.seq, createdAt, bytes };
  };
  if (openings.length === 0 || db.isTransaction) return insert(db);
  return (db as Kysely<Database>).transaction().execute(insert);
}

/**
 * Parses stored bytes back into the entry document (for history and the console; never
 * re-serialised). The record writes only what actions.ts types, so the bytes are trusted as typed;
 * narrow on `action` to read a detail.
 */
export function parseEntry(bytes: Buffer): StoredEntry {
  return JSON.parse(bytes.toString('utf8'));
}
