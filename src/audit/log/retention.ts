/**
 * Crypto-shredding after the retention period (transparency-log.md §What the leaves hold): an
 * integrated entry older than the cut-off is deleted together with its salt. Its commitment stays in
 * the tiles and bundles, so the tree — and every proof for the entries that remain — still verifies,
 * while the content can no longer be recovered or even confirmed by guessing; the openings of the
 * employee commitments in it are deleted too. The deletion itself is
 * recorded as a `log.entries_shredded` entry listing the leaf ranges, which `audit verify` requires
 * for every missing entry: a deletion that is not in the log is reported as tampering.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { appendAuditEntry } from '../record.ts';

/** The action of the entry that records a retention run (migration 0008 indexes it by this text). */
const SHREDDING = 'log.entries_shredded';

/** Half-open ranges of leaf indexes [from, to). */
export type LeafRanges = Array<[number, number]>;

/** Compresses sorted indexes into half-open ranges. */
export function toRanges(sorted: readonly number[]): LeafRanges {
  const ranges: LeafRanges = [];
  for (const i of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === i) last[1] = i + 1;
    else ranges.push([i, i + 1]);
  }
  return ranges;
}

const CHUNK = 500;

/**
 * Deletes every integrated entry created before `before`, with its salt, and records the deletion.
 * Entries not yet in the log are kept: shredding one would lose it from the log for good.
 */
export async function shredExpiredEntries(db: Kysely<Database>, options: { before: Date; now?: Date }): Promise<{ shredded: number; ranges: LeafRanges }> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('log_leaves as l').innerJoin('audit_entries as e', 'e.seq', 'l.seq')
      .select(['l.log_index', 'l.seq'])
      .where('e.created_at', '<', options.before.toISOString())
      .where('e.action', '!=', SHREDDING) // the record of a deletion is itself kept
      .orderBy('l.log_index').execute();
    if (rows.length === 0) return { shredded: 0, ranges: [] };
    const indexes = rows.map((r) => Number(r.log_index));
    const seqs = rows.map((r) => Number(r.seq));
    for (let at = 0; at < rows.length; at += CHUNK) {
      await tx.updateTable('log_leaves').set({ shredded_at: now.toISOString() }).where('log_index', 'in', indexes.slice(at, at + CHUNK)).execute();
      // The openings go with the entry: kept, they would still say who the employees were.
      await tx.deleteFrom('entry_openings').where('seq', 'in', seqs.slice(at, at + CHUNK)).execute();
      await tx.deleteFrom('audit_entries').where('seq', 'in', seqs.slice(at, at + CHUNK)).execute();
    }
    const ranges = toRanges(indexes);
    await appendAuditEntry(tx, {
      action: SHREDDING,
      actor: { kind: 'system', id: 'retention' },
      detail: { before: options.before.toISOString(), count: rows.length, ranges },
    }, now);
    return { shredded: rows.length, ranges };
  });
}

/** The leaf ranges every recorded shredding covers, read from the `log.entries_shredded` entries. */
export async function recordedShredding(db: Kysely<Database>): Promise<LeafRanges> {
  // A literal, not a parameter, so that both engines' planners can use the partial index (0008).
  const rows = await db.selectFrom('audit_entries').select('entry').where(sql.ref('action'), '=', sql.lit(SHREDDING)).execute();
  const ranges: LeafRanges = [];
  for (const row of rows) {
    try {
      // Not parseEntry: `audit verify` reads a record that may have been tampered with, so each
      // range is checked here rather than trusted to be the type actions.ts gives it.
      const detail = (JSON.parse(row.entry.toString('utf8')) as { detail?: { ranges?: unknown } }).detail;
      if (Array.isArray(detail?.ranges)) {
        for (const r of detail.ranges) if (Array.isArray(r) && Number.isSafeInteger(r[0]) && Number.isSafeInteger(r[1])) ranges.push([r[0], r[1]]);
      }
    } catch {
      // An unreadable record covers nothing; the entries it claims to cover are then reported.
    }
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}
