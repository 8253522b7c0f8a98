/**
 * The one gate to an entry's content: who may read entry i, and the record of each reading.
 * Authorised staff roles read any entry; a customer reads only entries about them that their own
 * access history shows (their own acts, and accesses not withheld by the no-tipping-off rules), and
 * gets "not found" for anything else so the existence of withheld entries is not revealed.
 * The reading is appended to the record before anything is returned.
 *
 * A customer's misses are how indexes get probed, so they are limited and counted rather than
 * recorded one by one (audit/refusal-tally.ts): after 20 refused reads in a window every read of
 * theirs is refused with 429 until the window ends, and the record holds one or two entries per
 * window with the count. Staff log readers may read every entry and are not limited here.
 *
 * Entries of version 2 name no employee, so their bytes go to every reader as they are. A version-1
 * entry may name one: `parsed` is then shown without the names to everyone, and a customer gets no
 * bytes and no salt (`base64` and `salt` null, `redacted` true) — the bytes cannot be altered
 * without breaking the leaf, and the leaf, its hash and the proof still show the entry is in the log.
 * Staff log readers keep the version-1 bytes so that they can still verify the old entries.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { auditActorOf, type Principal } from '../../core/principal.ts';
import { FlowguardError } from '../../errors.ts';
import { appendAuditEntry, parseEntry } from '../record.ts';
import { namesEmployees, readableEntry } from '../entry-view.ts';
import { entryCommitment, formatProofFile, leafHash } from '../tlog/index.ts';
import { createLogReader } from './log-reader.ts';
import { countRefusal, openTally, type TalliedActor, type TallyKind } from '../refusal-tally.ts';

/** Staff roles that may read any entry with its salt and proof. */
export const LOG_READER_ROLES = ['security_analyst', 'investigator', 'compliance_officer', 'auditor'] as const;

/** A customer's refused reads of log entries (misses, then 429s), counted per window of 10 minutes. */
export const CUSTOMER_LOG_REFUSALS: TallyKind = { name: 'log-entry-refused', action: 'log.entry_refused', windowMs: 10 * 60_000 };

/**
 * Refused reads a customer may have per window before every read is refused. A customer's own
 * entries are at most a few per access to their statement, and the portal links each one: 20 misses
 * leave room for mistyped numbers but make walking the log's indexes take years, not minutes.
 */
export const CUSTOMER_LOG_MISSES_PER_WINDOW = 20;

/**
 * What revealing an entry needs. Audit sits below the customers capability, so it cannot read a
 * customer's access history itself: the server passes in the customers capability's answer
 * (customers/entry-visibility.ts) to "does this customer's own history show the entry at `seq`?".
 */
export interface EntryRevealContext {
  store: { db: Kysely<Database> };
  now: () => Date;
  historyShowsEntry: (customerId: string, seq: number) => Promise<boolean>;
}

/** An entry revealed with everything needed to check it against the log without trusting the bank. */
export interface RevealedEntry {
  index: number;
  seq: number;
  /**
   * The canonical entry bytes, base64, and the same bytes parsed (for reading only, without names).
   * For a version-1 entry read by a customer, `base64` is null and `redacted` true.
   */
  entry: { base64: string | null; parsed: unknown; version: number; redacted: boolean };
  /** The entry's 32-byte salt, base64 (null with the bytes it opens). */
  salt: string | null;
  /** The leaf data: `fg-entry/v1 ` ‖ base64(SHA-256(salt ‖ entry)). */
  leaf: string;
  /** RFC 6962 leaf hash of `leaf`, base64. */
  leafHash: string;
  /** Inclusion proof against `checkpoint`, leaf's sibling first, base64. */
  proof: string[];
  treeSize: number;
  /** The latest published signed checkpoint. */
  checkpoint: string;
  /** The same evidence as a c2sp.org/tlog-proof@v1 file. */
  proofFile: string;
}

function customerActor(customerId: string): TalliedActor {
  return { kind: 'customer', id: customerId };
}

function tooManyMisses(windowEnd: Date, now: Date): FlowguardError {
  const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd.getTime() - now.getTime()) / 1000));
  const error = new FlowguardError('rate_limited',
    `Too many log entries you may not read were asked for; wait ${retryAfterSeconds} seconds. Your access history links each entry about you.`,
    { retryAfterSeconds });
  error.recorded = true;
  return error;
}

/** Refuses (and counts) every read by a customer who used up the window's misses. */
async function assertNotProbing(ctx: EntryRevealContext, customerId: string, traceId: string | undefined): Promise<void> {
  const now = ctx.now();
  const open = await openTally(ctx.store.db, CUSTOMER_LOG_REFUSALS, customerActor(customerId), now);
  if (!open || open.refusals < CUSTOMER_LOG_MISSES_PER_WINDOW) return;
  const counted = await countRefusal(ctx.store.db, CUSTOMER_LOG_REFUSALS, customerActor(customerId), now, { traceId });
  throw tooManyMisses(counted.windowEnd, now);
}

/**
 * Counts a customer's miss; the answer is "not found", or 429 once the window holds more misses than
 * allowed (counted atomically, so concurrent probes cannot slip past the limit).
 */
async function customerMiss(ctx: EntryRevealContext, customerId: string, index: number, traceId: string | undefined): Promise<FlowguardError> {
  const now = ctx.now();
  // The index is not recorded: up to 16 digits of the caller's choosing could pass for a card number.
  const counted = await countRefusal(ctx.store.db, CUSTOMER_LOG_REFUSALS, customerActor(customerId), now, { traceId });
  if (counted.refusals > CUSTOMER_LOG_MISSES_PER_WINDOW) return tooManyMisses(counted.windowEnd, now);
  const error = new FlowguardError('not_found', `No log entry ${index} that you may read.`);
  error.recorded = true;
  return error;
}

async function mayCustomerRead(ctx: EntryRevealContext, customerId: string, row: { seq: number; customer_id: string | null; entry: Buffer }): Promise<boolean> {
  if (row.customer_id !== customerId) return false;
  const actor = parseEntry(row.entry).actor;
  if (actor.kind === 'customer' && actor.id === customerId) return true;
  return ctx.historyShowsEntry(customerId, row.seq);
}

/**
 * Reveals entry `index` to `principal`, recording the reading. Throws `forbidden` for staff without
 * a log-reading role, `not_found` for an index not in the log or not the customer's to see,
 * `log_entry_shredded` after retention, `log_entry_pending` until a published checkpoint covers it.
 */
export async function revealEntry(ctx: EntryRevealContext, principal: Principal, index: number, options: { traceId?: string; format: 'json' | 'proof' }): Promise<RevealedEntry> {
  if (principal.kind === 'staff' && !LOG_READER_ROLES.some((role) => principal.roles.includes(role))) {
    throw new FlowguardError('forbidden', `Reading log entries needs one of the roles ${LOG_READER_ROLES.join(', ')}.`);
  }
  const db = ctx.store.db;
  if (principal.kind === 'customer') await assertNotProbing(ctx, principal.customerId, options.traceId);
  const notFound = async () => {
    if (principal.kind !== 'customer') return new FlowguardError('not_found', `No log entry ${index} that you may read.`);
    return customerMiss(ctx, principal.customerId, index, options.traceId);
  };
  const leafRow = await db.selectFrom('log_leaves').select(['seq', 'shredded_at']).where('log_index', '=', index).executeTakeFirst();
  if (!leafRow) throw await notFound();
  const seq = Number(leafRow.seq);
  const row = await db.selectFrom('audit_entries').select(['seq', 'entry', 'salt', 'customer_id']).where('seq', '=', seq).executeTakeFirst();
  if (principal.kind === 'customer' && (!row || !(await mayCustomerRead(ctx, principal.customerId, { ...row, seq: Number(row.seq) })))) throw await notFound();
  if (!row) throw new FlowguardError('log_entry_shredded', `Log entry ${index} was deleted with its salt under the retention policy${leafRow.shredded_at ? ` on ${leafRow.shredded_at}` : ''}; its commitment stays in the log.`);

  const reader = createLogReader(db);
  const published = await reader.latestCheckpoint();
  if (!published || BigInt(index) >= published.checkpoint.size) {
    throw new FlowguardError('log_entry_pending', `Log entry ${index} is not covered by a published checkpoint yet; try again in a moment.`);
  }
  const treeSize = published.checkpoint.size;
  const proof = await reader.inclusionProof(index, treeSize);
  const leaf = entryCommitment(row.salt, row.entry);
  await appendAuditEntry(db, {
    action: 'log.entry_read',
    actor: auditActorOf(principal),
    customerId: row.customer_id,
    ...(options.traceId ? { traceId: options.traceId } : {}),
    detail: { index, seq, treeSize: Number(treeSize), format: options.format },
  }, ctx.now());
  const parsed = parseEntry(row.entry);
  const withheld = principal.kind === 'customer' && namesEmployees(parsed);
  return {
    index,
    seq,
    entry: { base64: withheld ? null : row.entry.toString('base64'), parsed: readableEntry(parsed), version: parsed.v, redacted: withheld },
    salt: withheld ? null : row.salt.toString('base64'),
    leaf: leaf.toString('ascii'),
    leafHash: leafHash(leaf).toString('base64'),
    proof: proof.map((h) => h.toString('base64')),
    treeSize: Number(treeSize),
    checkpoint: published.note,
    proofFile: formatProofFile({ index, proof, checkpoint: published.note }),
  };
}
