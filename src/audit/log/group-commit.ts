/**
 * Group commit for the audit record. `appendAuditEntry` commits with the caller's own transaction
 * (the act and its record together), one durable commit each. Sources with many acts and nothing
 * else to write — monitor-mode ingest of a bank's query logs, bulk imports — go through here:
 * concurrent appends are gathered into one transaction and one multi-row insert, so a single fsync
 * (SQLite synchronous=FULL, PostgreSQL synchronous_commit=on) makes a whole batch durable. Each
 * caller's promise resolves only after the batch holding its entry has committed: an entry is never
 * acknowledged before it is durable.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { buildEntry, insertOpenings, type AppendedEntry, type AuditEvent } from '../record.ts';
import { SALT_SIZE } from '../tlog/index.ts';

/** Rows per INSERT statement: 8 parameters each, well below SQLite's limit. */
const ROWS_PER_INSERT = 500;

async function insertBatch(tx: Transaction<Database>, events: readonly AuditEvent[], createdAt: string): Promise<AppendedEntry[]> {
  const salts = randomBytes(SALT_SIZE * events.length);
  const appended: AppendedEntry[] = [];
  for (let at = 0; at < events.length; at += ROWS_PER_INSERT) {
    const chunk = events.slice(at, at + ROWS_PER_INSERT);
    const built = chunk.map((event) => buildEntry(event, createdAt));
    const rows = await tx.insertInto('audit_entries').values(chunk.map((event, i) => ({
      entry: built[i]!.bytes,
      salt: salts.subarray((at + i) * SALT_SIZE, (at + i + 1) * SALT_SIZE),
      action: event.action,
      actor_id: event.actor.id,
      customer_id: event.customerId ?? null,
      request_id: event.requestId ?? null,
      created_at: createdAt,
    }))).returning('seq').execute();
    // One statement takes its seqs in row order (each nextval/rowid is larger than the last), so the
    // sorted seqs belong to the rows in order, whatever order RETURNING lists them in.
    const seqs = rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
    seqs.forEach((seq, i) => appended.push({ seq, createdAt, bytes: built[i]!.bytes }));
    // The openings of the employees each entry names commit with the batch.
    await insertOpenings(tx, seqs.map((seq, i) => ({ seq, openings: built[i]!.openings })));
  }
  return appended;
}

/**
 * Appends several entries with one commit (inside `db` if it is already a transaction). Throws,
 * appending none, if any entry is refused (e.g. it holds a full card number).
 */
export async function appendAuditEntries(db: Kysely<Database> | Transaction<Database>, events: readonly AuditEvent[], now: Date = new Date()): Promise<AppendedEntry[]> {
  if (events.length === 0) return [];
  const createdAt = now.toISOString();
  if (db.isTransaction) return insertBatch(db as Transaction<Database>, events, createdAt);
  return db.transaction().execute((tx) => insertBatch(tx, events, createdAt));
}

interface Pending { event: AuditEvent; resolve(entry: AppendedEntry): void; reject(error: unknown): void }

/**
 * Gathers concurrent appends into batches: while one batch commits, the next one fills up.
 *
 * @example
 * const committer = new GroupCommitter(store.db);
 * const { seq } = await committer.append(event); // durable when this resolves
 */
export class GroupCommitter {
  readonly #queue: Pending[] = [];
  #flushing: Promise<void> | null = null;

  constructor(private readonly db: Kysely<Database>, private readonly options: { maxBatch?: number; now?: () => Date } = {}) {}

  /** Appends one entry; resolves once the batch holding it has committed. */
  append(event: AuditEvent): Promise<AppendedEntry> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ event, resolve, reject });
      this.#flushing ??= this.#drain();
    });
  }

  /** Resolves when everything appended so far has committed (or failed). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #drain(): Promise<void> {
    // Let the callers of this tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    const max = this.options.maxBatch ?? 5_000;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, max);
      try {
        const appended = await appendAuditEntries(this.db, batch.map((p) => p.event), this.options.now?.() ?? new Date());
        batch.forEach((p, i) => p.resolve(appended[i]!));
      } catch (error) {
        // One refused entry must not sink the others: retry them one by one.
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const p of batch) await appendAuditEntries(this.db, [p.event], this.options.now?.() ?? new Date()).then(([e]) => p.resolve(e!), p.reject);
      }
    }
    this.#flushing = null;
  }
}
