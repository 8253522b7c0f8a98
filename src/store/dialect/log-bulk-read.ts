/**
 * Bulk reading for `audit verify`: the salted entries (salt ‖ entry) of the log's leaves, aggregated
 * per tile of 256 leaves into one byte string, so a million entries cost four thousand rows rather
 * than a million (per-row materialisation, not the database, dominates reading them). Both engines
 * keep the bytes as they are: SQLite concatenates and casts blobs byte for byte, PostgreSQL
 * aggregates bytea with string_agg. The ordered aggregates need SQLite ≥ 3.44 (better-sqlite3 12
 * ships 3.5x) and PostgreSQL ≥ 9.0.
 */
import { sql, type Kysely } from 'kysely';
import type { EngineTypes } from './dialect-kind.ts';

/** The leaves of one tile as stored: which leaf rows exist and their salted entries. */
export interface SaltedEntryRun {
  /** Lowest and highest leaf index in the tile, and how many leaf rows it has. */
  first: number;
  last: number;
  count: number;
  /** Per leaf row in index order: the byte length of salt ‖ entry in `data`, or -1 if the entry is gone. */
  lengths: string;
  /** The salted entries of the rows whose entry exists, concatenated in index order. */
  data: Buffer | null;
}

/** Reads leaves [from, to) as one run per tile, in index order. */
export async function readSaltedEntryRuns(engine: EngineTypes, db: Kysely<any>, from: number, to: number): Promise<SaltedEntryRun[]> {
  const query = engine.name === 'postgres'
    ? sql<SaltedEntryRun>`
        select min(l.log_index) as first, max(l.log_index) as last, count(*) as count,
          string_agg(coalesce(length(e.salt) + length(e.entry), -1)::text, ',' order by l.log_index) as lengths,
          string_agg(e.salt || e.entry, ''::bytea order by l.log_index) as data
        from log_leaves l left join audit_entries e on e.seq = l.seq
        where l.log_index >= ${from} and l.log_index < ${to}
        group by l.log_index / 256 order by 1`
    : sql<SaltedEntryRun>`
        select min(l.log_index) as first, max(l.log_index) as last, count(*) as count,
          group_concat(coalesce(length(e.salt) + length(e.entry), -1), ',' order by l.log_index) as lengths,
          cast(group_concat(cast(e.salt || e.entry as blob), '' order by l.log_index) as blob) as data
        from log_leaves l left join audit_entries e on e.seq = l.seq
        where l.log_index >= ${from} and l.log_index < ${to}
        group by l.log_index / 256 order by 1`;
  const rows = (await query.execute(db)).rows;
  return rows.map((r) => ({ first: Number(r.first), last: Number(r.last), count: Number(r.count), lengths: String(r.lengths), data: r.data }));
}
