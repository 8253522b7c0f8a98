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
 */
import { randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import { findFullNumbers } from '../privacy/full-numbers.ts';
import { FlowguardError } from '../errors.ts';
import { pseudonymiseEmployees, type ActorOpening } from './entry-actors.ts';
import { pseudonymKey } from './actor-pseudonyms.ts';

export { employeeRef } from './entry-actors.ts';

/** Version of the entry format; bump it when a field's meaning changes, never reuse a number. */
export const ENTRY_VERSION = 2;

export type AuditAction =
  | 'login.succeeded' | 'login.failed' | 'logout' | 'login.released'
  | 'customer.searched' | 'customer.code_sent' | 'customer.code_refused'
  | 'statement.requested' | 'statement.refused' | 'statement.viewed' | 'statement.exported'
  | 'legal_warning.acknowledged'
  | 'approval.granted' | 'approval.rejected' | 'approval.refused'
  | 'break_glass.used' | 'post_review.closed'
  | 'config.change_proposed' | 'config.change_applied' | 'config.change_rejected' | 'config.change_refused'
  | 'training.recorded' | 'employee.revealed'
  | 'portal.code_sent' | 'portal.login' | 'portal.history_viewed' | 'portal.alerts_changed' | 'portal.access_notifications_changed' | 'portal.statement_viewed' | 'portal.access_reported'
  | 'history.withheld'
  | 'request.refused' | 'request.rate_limited'
  | 'log.entry_read' | 'log.entry_refused' | 'log.entries_shredded'
  | 'audit_record.searched' | 'audit_record.entry_read'
  | 'flags.listed';

export interface AuditActor {
  kind: 'staff' | 'customer' | 'system' | 'anonymous';
  /** A staff actor's ID is replaced by `pseudonym` and `commitment` in the entry (version 2). */
  id: string | null;
  pseudonym?: string;
  commitment?: string;
  branchId?: string;
  bankRole?: string;
}

export interface AuditEvent {
  action: AuditAction;
  actor: AuditActor;
  customerId?: string | null;
  requestId?: string | null;
  /** Action-specific facts: purpose, reference kind, decision, policy IDs, output, fields… */
  detail?: Record<string, unknown>;
  /** The HTTP request id, to join the record with server logs. */
  traceId?: string;
}

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
    detail: walk(event.detail ?? {}, '/detail'),
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

/** Parses stored bytes back into the entry document (for history and the console; never re-serialised). */
export function parseEntry(bytes: Buffer): { v: number; time: string; action: AuditAction; actor: AuditActor; customer: string | null; request: string | null; detail: Record<string, unknown> } {
  return JSON.parse(bytes.toString('utf8'));
}
