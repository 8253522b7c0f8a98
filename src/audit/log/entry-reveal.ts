/**
 * The one gate to an entry's content: who may read entry i, and the record of each reading.
 * Authorised staff roles read any entry; a customer reads only entries about them that their own
 * access history shows (their own acts, and accesses not withheld by the no-tipping-off rules), and
 * gets "not found" for anything else so the existence of withheld entries is not revealed.
 * The reading is appended to the record before anything is returned.
 */
import type { AppContext, Principal } from '../../server/context.ts';
import { FlowguardError } from '../../errors.ts';
import { appendAuditEntry, parseEntry } from '../record.ts';
import { auditActorOf } from '../../identity/principal.ts';
import { accessHistory } from '../../customers/history.ts';
import { entryCommitment, formatProofFile, leafHash } from '../tlog/index.ts';
import { createLogReader } from './log-reader.ts';

/** Staff roles that may read any entry with its salt and proof. */
export const LOG_READER_ROLES = ['security_analyst', 'investigator', 'compliance_officer', 'auditor'] as const;

/** An entry revealed with everything needed to check it against the log without trusting the bank. */
export interface RevealedEntry {
  index: number;
  seq: number;
  /** The canonical entry bytes, base64, and the same bytes parsed (for reading only). */
  entry: { base64: string; parsed: unknown };
  /** The entry's 32-byte salt, base64. */
  salt: string;
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

async function mayCustomerRead(ctx: AppContext, customerId: string, row: { seq: number; customer_id: string | null; entry: Buffer }): Promise<boolean> {
  if (row.customer_id !== customerId) return false;
  const actor = parseEntry(row.entry).actor;
  if (actor.kind === 'customer' && actor.id === customerId) return true;
  const visible = await accessHistory(ctx, customerId, { includeWithheld: false });
  return visible.some((item) => item.seq === row.seq);
}

/**
 * Reveals entry `index` to `principal`, recording the reading. Throws `forbidden` for staff without
 * a log-reading role, `not_found` for an index not in the log or not the customer's to see,
 * `log_entry_shredded` after retention, `log_entry_pending` until a published checkpoint covers it.
 */
export async function revealEntry(ctx: AppContext, principal: Principal, index: number, options: { traceId?: string; format: 'json' | 'proof' }): Promise<RevealedEntry> {
  if (principal.kind === 'staff' && !LOG_READER_ROLES.some((role) => principal.roles.includes(role))) {
    throw new FlowguardError('forbidden', `Reading log entries needs one of the roles ${LOG_READER_ROLES.join(', ')}.`);
  }
  const db = ctx.store.db;
  const notFound = () => new FlowguardError('not_found', `No log entry ${index} that you may read.`);
  const leafRow = await db.selectFrom('log_leaves').select(['seq', 'shredded_at']).where('log_index', '=', index).executeTakeFirst();
  if (!leafRow) throw notFound();
  const seq = Number(leafRow.seq);
  const row = await db.selectFrom('audit_entries').select(['seq', 'entry', 'salt', 'customer_id']).where('seq', '=', seq).executeTakeFirst();
  if (principal.kind === 'customer' && (!row || !(await mayCustomerRead(ctx, principal.customerId, { ...row, seq: Number(row.seq) })))) throw notFound();
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
  return {
    index,
    seq,
    entry: { base64: row.entry.toString('base64'), parsed: parseEntry(row.entry) },
    salt: row.salt.toString('base64'),
    leaf: leaf.toString('ascii'),
    leafHash: leafHash(leaf).toString('base64'),
    proof: proof.map((h) => h.toString('base64')),
    treeSize: Number(treeSize),
    checkpoint: published.note,
    proofFile: formatProofFile({ index, proof, checkpoint: published.note }),
  };
}
