/**
 * The record as a stream: entries in seq order from an offset, for consumers such as detection
 * that must see every entry once the act is committed, and resume where they stopped.
 *
 * ## Never skipping an entry still committing
 * Seqs are handed out at insert and committed in any order on PostgreSQL (a slow transaction holds
 * a low seq while later ones commit), and a rolled-back insert leaves a gap forever. Reading up to
 * the highest visible seq would step over a seq still committing and never come back to it. The
 * stream reads only up to the integrator's fence (store/dialect/log-sequencing.ts): the highest seq
 * below which every entry is committed and visible, or never will be. Up to the fence the gaps are
 * final, so a page that ends at the fence moves the offset past them.
 *
 * ## Offsets, at-least-once
 * A consumer's offset (the seq of the last entry it handled) is stored in `record_consumers` and
 * only ever moves forward. `consumeRecord` reads a page after the offset, hands it to the consumer,
 * and then commits the page's end: an entry is committed as handled only after its handler
 * returned. A process that dies between the two hands the same page again on restart — delivery is
 * at least once, never less — so handlers are idempotent (keyed by `seq`), or write their effects
 * and the offset in one transaction with `commitOffset(tx, …)`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { EngineTypes } from '../store/dialect/dialect-kind.ts';
import { logSequencing, type SeqFence } from '../store/dialect/log-sequencing.ts';
import { FlowguardError } from '../errors.ts';
import { parseEntry } from './record.ts';
import type { StoredEntry } from './actions.ts';

/** What the stream reads from: a store's database and engine. */
export interface RecordSource { db: Kysely<Database>; engine: EngineTypes }

/** One entry of the stream. */
export interface StreamEntry { seq: number; createdAt: string; entry: StoredEntry }

/** A page of the stream and the offset to read the next page after. */
export interface RecordPage {
  entries: StreamEntry[];
  /** Pass as `afterSeq` next time: the last entry's seq, or the fence when the page reached it (past final gaps). */
  next: number;
}

/** Most entries one page may hold: a page is held in memory whole. */
export const MAX_PAGE = 10_000;

export interface RecordReader {
  /** Up to `limit` committed entries with seq > `afterSeq`, in seq order, none still committing. */
  read(afterSeq: number, limit: number): Promise<RecordPage>;
}

function assertPage(afterSeq: number, limit: number): void {
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new FlowguardError('internal', `A record offset is a seq (0 or more), not ${afterSeq}.`);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new FlowguardError('internal', `A record page holds 1 to ${MAX_PAGE} entries, not ${limit}.`);
}

/**
 * A reader with a fence of its own (the fence remembers the writers it is waiting for, so a reader
 * kept across pages confirms the bound sooner). `fence` is a test seam, as for the integrator.
 */
export function createRecordReader(source: RecordSource, fence: SeqFence = logSequencing(source.engine).createFence(source.db)): RecordReader {
  return {
    async read(afterSeq, limit) {
      assertPage(afterSeq, limit);
      const bound = await fence.finalSeq();
      if (bound <= afterSeq) return { entries: [], next: afterSeq };
      const rows = await source.db.selectFrom('audit_entries').select(['seq', 'created_at', 'entry'])
        .where('seq', '>', afterSeq).where('seq', '<=', bound)
        .orderBy('seq').limit(limit).execute();
      const entries = rows.map((r) => ({ seq: Number(r.seq), createdAt: r.created_at, entry: parseEntry(Buffer.from(r.entry)) }));
      // A full page may stop short of the fence; a short one read everything up to it, gaps included.
      const next = rows.length === limit ? entries[entries.length - 1]!.seq : bound;
      return { entries, next };
    },
  };
}

/** Reads one page with a fresh fence (see `createRecordReader` to read many). */
export async function readRecord(source: RecordSource, afterSeq: number, limit: number): Promise<RecordPage> {
  return createRecordReader(source).read(afterSeq, limit);
}

function assertConsumer(consumer: string): void {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(consumer)) throw new FlowguardError('internal', `A record consumer is named by 1-64 lower-case letters, digits, '.', '_' or '-', not ${JSON.stringify(consumer)}.`);
}

/** The seq of the last entry `consumer` handled; 0 for a consumer that never committed one. */
export async function consumerOffset(db: Kysely<Database> | Transaction<Database>, consumer: string): Promise<number> {
  assertConsumer(consumer);
  const row = await db.selectFrom('record_consumers').select('after_seq').where('consumer', '=', consumer).executeTakeFirst();
  return row ? Number(row.after_seq) : 0;
}

/**
 * Records that `consumer` handled every entry up to `seq`. Forward only: committing an offset
 * lower than the stored one changes nothing (two nodes running one consumer cannot move it back).
 * Pass the transaction that writes the consumer's effects to commit both or neither.
 */
export async function commitOffset(db: Kysely<Database> | Transaction<Database>, consumer: string, seq: number, now: Date = new Date()): Promise<void> {
  assertConsumer(consumer);
  if (!Number.isSafeInteger(seq) || seq < 0) throw new FlowguardError('internal', `A record offset is a seq (0 or more), not ${seq}.`);
  await db.insertInto('record_consumers')
    .values({ consumer, after_seq: seq, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('consumer')
      .doUpdateSet((eb) => ({ after_seq: eb.ref('excluded.after_seq'), updated_at: eb.ref('excluded.updated_at') }))
      .where('record_consumers.after_seq', '<', seq))
    .execute();
}

/** What one `consumeRecord` call did. */
export interface Consumed { handled: number; offset: number }

/**
 * Hands `consumer` the next page after its stored offset, then commits the page's end (at least
 * once: see the file comment). A handler that throws commits nothing; the page comes again. A page
 * with no entries (only final gaps) still moves the offset.
 */
export async function consumeRecord(
  source: RecordSource,
  consumer: string,
  handle: (entries: readonly StreamEntry[]) => Promise<void>,
  limit: number,
  reader: RecordReader = createRecordReader(source),
): Promise<Consumed> {
  const offset = await consumerOffset(source.db, consumer);
  const page = await reader.read(offset, limit);
  if (page.entries.length > 0) await handle(page.entries);
  if (page.next > offset) await commitOffset(source.db, consumer, page.next);
  return { handled: page.entries.length, offset: page.next };
}
