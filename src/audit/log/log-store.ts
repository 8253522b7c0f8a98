/**
 * The log's tables (migration 0004-log): the integrator's state row, leaf index ↔ seq, tiles, entry
 * bundles and checkpoints. Queries only; what they mean is in integrator.ts and log-reader.ts.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { HASH_SIZE } from '../tlog/index.ts';
import type { BundleWrite, TileWrite } from './tile-builder.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** The integrator's view of the tree. */
export interface LogState {
  size: number;
  root: Buffer;
  /** The compact range: complete-subtree roots of the tree, largest first. */
  border: Buffer[];
  /** Highest integrated audit seq. */
  lastSeq: number;
}

/** Rows per multi-row INSERT: well below SQLite's 32,766 bound parameters. */
const INSERT_CHUNK = 1_000;

export async function readLogState(db: Db): Promise<LogState> {
  const row = await db.selectFrom('log_state').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const border: Buffer[] = [];
  for (let at = 0; at < row.border.length; at += HASH_SIZE) border.push(Buffer.from(row.border.subarray(at, at + HASH_SIZE)));
  return { size: Number(row.size), root: Buffer.from(row.root), border, lastSeq: Number(row.last_seq) };
}

/** Takes the state row's write lock (PostgreSQL row lock; SQLite's writer lock) for this transaction. */
export async function lockLogState(tx: Transaction<Database>, now: Date): Promise<void> {
  await tx.updateTable('log_state').set({ updated_at: now.toISOString() }).where('id', '=', 1).execute();
}

export async function writeLogState(tx: Transaction<Database>, state: LogState, now: Date): Promise<void> {
  await tx.updateTable('log_state').set({
    size: state.size, root: state.root, border: Buffer.concat(state.border), last_seq: state.lastSeq, updated_at: now.toISOString(),
  }).where('id', '=', 1).execute();
}

/** Maps leaves `firstIndex`, `firstIndex + 1`, … to the given seqs. */
export async function insertLeaves(tx: Transaction<Database>, firstIndex: number, seqs: readonly number[]): Promise<void> {
  for (let at = 0; at < seqs.length; at += INSERT_CHUNK) {
    const rows = seqs.slice(at, at + INSERT_CHUNK).map((seq, i) => ({ log_index: firstIndex + at + i, seq, shredded_at: null }));
    await tx.insertInto('log_leaves').values(rows).execute();
  }
}

export async function upsertTiles(tx: Transaction<Database>, tiles: readonly TileWrite[]): Promise<void> {
  for (let at = 0; at < tiles.length; at += INSERT_CHUNK) {
    await tx.insertInto('log_tiles').values(tiles.slice(at, at + INSERT_CHUNK).map((t) => ({ level: t.level, n: t.n, width: t.width, data: t.data })))
      .onConflict((oc) => oc.columns(['level', 'n']).doUpdateSet((eb) => ({ width: eb.ref('excluded.width'), data: eb.ref('excluded.data') })))
      .execute();
  }
}

export async function upsertBundles(tx: Transaction<Database>, bundles: readonly BundleWrite[]): Promise<void> {
  for (let at = 0; at < bundles.length; at += INSERT_CHUNK) {
    await tx.insertInto('log_bundles').values(bundles.slice(at, at + INSERT_CHUNK).map((b) => ({ n: b.n, width: b.width, data: b.data })))
      .onConflict((oc) => oc.column('n').doUpdateSet((eb) => ({ width: eb.ref('excluded.width'), data: eb.ref('excluded.data') })))
      .execute();
  }
}

/** Stored tiles by "level/n"; missing ones are absent from the map. */
export async function readTiles(db: Db, refs: ReadonlyArray<{ level: number; n: number }>): Promise<Map<string, { width: number; data: Buffer }>> {
  const found = new Map<string, { width: number; data: Buffer }>();
  const unique = [...new Map(refs.map((r) => [`${r.level}/${r.n}`, r])).values()];
  for (let at = 0; at < unique.length; at += 200) {
    const chunk = unique.slice(at, at + 200);
    const rows = await db.selectFrom('log_tiles').select(['level', 'n', 'width', 'data'])
      .where((eb) => eb.or(chunk.map((r) => eb.and([eb('level', '=', r.level), eb('n', '=', r.n)]))))
      .execute();
    for (const row of rows) found.set(`${row.level}/${Number(row.n)}`, { width: row.width, data: Buffer.from(row.data) });
  }
  return found;
}

export async function readTile(db: Db, level: number, n: number): Promise<{ width: number; data: Buffer } | undefined> {
  const row = await db.selectFrom('log_tiles').select(['width', 'data']).where('level', '=', level).where('n', '=', n).executeTakeFirst();
  return row && { width: row.width, data: Buffer.from(row.data) };
}

export async function readBundle(db: Db, n: number): Promise<{ width: number; data: Buffer } | undefined> {
  const row = await db.selectFrom('log_bundles').select(['width', 'data']).where('n', '=', n).executeTakeFirst();
  return row && { width: row.width, data: Buffer.from(row.data) };
}

/** A stored checkpoint. */
export interface CheckpointRow { id: number; size: number; root: Buffer; note: string; publishedNote: string | null; createdAt: string }

function toCheckpoint(row: Selectable<Database['log_checkpoints']>): CheckpointRow {
  return { id: row.id, size: Number(row.size), root: Buffer.from(row.root), note: row.note, publishedNote: row.published_note, createdAt: row.created_at };
}

/** The newest signed checkpoint, or with `published`, the newest one served at /log/checkpoint. */
export async function latestCheckpoint(db: Db, options: { published?: boolean } = {}): Promise<CheckpointRow | undefined> {
  let query = db.selectFrom('log_checkpoints').selectAll();
  if (options.published) query = query.where('published_note', 'is not', null);
  const row = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row && toCheckpoint(row);
}

export async function insertCheckpoint(tx: Transaction<Database>, row: Omit<CheckpointRow, 'id'>): Promise<number> {
  const inserted = await tx.insertInto('log_checkpoints').values({
    size: row.size, root: row.root, note: row.note, published_note: row.publishedNote, created_at: row.createdAt,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function publishCheckpoint(db: Db, id: number, note: string): Promise<void> {
  await db.updateTable('log_checkpoints').set({ published_note: note }).where('id', '=', id).execute();
}
