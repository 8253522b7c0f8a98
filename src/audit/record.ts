/**
 * The append-only record: every decision, view, export, approval, login, configuration change and
 * refusal becomes one entry, stored as RFC 8785 canonical JSON bytes with a random salt (the salt
 * lets the public log hold a commitment instead of the content; see transparency-log.md).
 */
import { randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import { findFullNumbers } from '../privacy/full-numbers.ts';
import { FlowguardError } from '../errors.ts';

/** Version of the entry format; bump it when a field's meaning changes, never reuse a number. */
export const ENTRY_VERSION = 1;

export type AuditAction =
  | 'login.succeeded' | 'login.failed' | 'logout' | 'login.released'
  | 'customer.searched' | 'customer.code_sent'
  | 'statement.requested' | 'statement.refused' | 'statement.viewed' | 'statement.exported'
  | 'legal_warning.acknowledged'
  | 'approval.granted' | 'approval.rejected' | 'approval.refused'
  | 'break_glass.used' | 'post_review.closed'
  | 'config.change_proposed' | 'config.change_applied' | 'config.change_rejected' | 'config.change_refused'
  | 'training.recorded' | 'employee.revealed'
  | 'portal.code_sent' | 'portal.login' | 'portal.history_viewed' | 'portal.alerts_changed' | 'portal.statement_viewed' | 'portal.access_reported'
  | 'history.withheld'
  | 'request.refused' | 'request.rate_limited'
  | 'log.entry_read' | 'log.entry_refused' | 'log.entries_shredded'
  | 'audit_record.searched' | 'audit_record.entry_read';

export interface AuditActor {
  kind: 'staff' | 'customer' | 'system' | 'anonymous';
  id: string | null;
  pseudonym?: string;
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

/** Builds the canonical bytes of an entry; refuses any entry that carries a full card or ID number. */
export function entryBytes(event: AuditEvent, createdAt: string): Buffer {
  const doc = {
    v: ENTRY_VERSION,
    time: createdAt,
    action: event.action,
    actor: event.actor,
    customer: event.customerId ?? null,
    request: event.requestId ?? null,
    detail: event.detail ?? {},
    trace: event.traceId ?? null,
  };
  const text = canonicalize(doc);
  if (text === undefined) throw new FlowguardError('internal', 'An audit entry could not be serialised.');
  const hits = findFullNumbers(text);
  if (hits.length > 0) {
    throw new FlowguardError('internal', `Refusing to record an entry holding a full ${hits[0]!.kind} number (${hits[0]!.masked}).`);
  }
  return Buffer.from(text, 'utf8');
}

/**
 * Appends one entry. Call it inside the transaction that makes the act happen, so the act and its
 * record commit together, and before any byte of the response is sent.
 */
export async function appendAuditEntry(db: Db, event: AuditEvent, now: Date = new Date()): Promise<AppendedEntry> {
  const createdAt = now.toISOString();
  const bytes = entryBytes(event, createdAt);
  const row = await db
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
  return { seq: row.seq, createdAt, bytes };
}

/** Parses stored bytes back into the entry document (for history and the console; never re-serialised). */
export function parseEntry(bytes: Buffer): { v: number; time: string; action: AuditAction; actor: AuditActor; customer: string | null; request: string | null; detail: Record<string, unknown> } {
  return JSON.parse(bytes.toString('utf8'));
}
