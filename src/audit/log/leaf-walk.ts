/**
 * The per-leaf half of `audit verify` (verify-log.ts), over one range of leaves so ranges can run in
 * parallel: for each leaf, recompute the commitment from the entry and its salt, compare it with the
 * entry bundle, hash it (RFC 6962 leaf hash), compare every full level-0 tile with the stored one and
 * fold it into its root. The caller builds the rest of the tree from the tile roots.
 *
 * Faults are isolated: when an entry no longer matches its commitment, the stored leaf is used to go
 * on, so the report names that entry rather than every tile and root above it.
 */
import { sql } from 'kysely';
import { COMMITMENT_PREFIX, HASH_SIZE, TILE_WIDTH } from '../tlog/index.ts';
import type { LeafRanges } from './retention.ts';
import { leafHashLatin1 } from './tree-recomputer.ts';
import { commitmentDigest, leafHashOf, type ChosenTileHasher, TILE_BUNDLE_SIZE, tileRootAt, type TileHasher } from './tile-hasher.ts';
import type { LogProblem } from './verify-problems.ts';
import { tileEntriesReader, type TileEntries, type TileEntriesReader } from '../../store/dialect/log-tile-entries.ts';
import type { Store } from '../../store/database.ts';

/** What a walk over leaves [from, end) found. */
export interface LeafWalk {
  from: number;
  /** Where the walk stopped: `to`, or the first leaf of which nothing is left (then a `truncated` problem says so). */
  end: number;
  /** The leaf hashes of [from, end), 32 bytes each. */
  leafHashes: Uint8Array;
  /** The roots of the full level-0 tiles inside [from, end) (from is a multiple of 256), 32 bytes each. */
  tileRoots: Uint8Array;
  problems: LogProblem[];
  problemCount: number;
  entries: number;
  shredded: number;
  tiles: number;
  /** Tiles read row by row: partial ones, and full ones where the one-query check found a difference. */
  rowByRow: number;
  /** Which tile hasher checked the full tiles. */
  hashing: ChosenTileHasher['kind'];
}

export interface LeafWalkRequest {
  /** First leaf; a multiple of 256. */
  from: number;
  to: number;
  /** Leaf ranges covered by recorded retention runs. */
  shredded: LeafRanges;
  /** Problems kept in detail (the rest are only counted). */
  maxProblems: number;
}

/** The store a walk reads: its Kysely instance and, on SQLite, the connection under it. */
export type WalkedStore = Pick<Store, 'db' | 'engine' | 'sqlite'>;

/** Leaves per page of bundles and tiles read at once. */
const PAGE = 8_192;
/** Full tiles whose entries are being read at any time. */
const READ_AHEAD = 4;

/** Start offsets and lengths of a bundle's entries (at most 256), or undefined if it is malformed. */
function bundleSlots(data: Buffer): Int32Array | undefined {
  const slots = new Int32Array(2 * TILE_WIDTH).fill(-1);
  let k = 0;
  for (let at = 0; at < data.length; k++) {
    if (at + 2 > data.length || k === TILE_WIDTH) return undefined;
    const length = data.readUInt16BE(at);
    if (at + 2 + length > data.length) return undefined;
    slots[2 * k] = at + 2;
    slots[2 * k + 1] = length;
    at += 2 + length;
  }
  return slots;
}

function covered(ranges: LeafRanges, index: number): boolean {
  for (const [from, to] of ranges) if (index >= from && index < to) return true;
  return false;
}

/** One leaf as read: undefined = no leaf row, null = the entry (and salt) are gone, else salt ‖ entry. */
type SaltedLeaf = Buffer | null | undefined;

/**
 * The salted entries of leaves [from, to), indexed from `from`, one row each, for the row-by-row
 * path. Salt and entry come as one value (both engines concatenate and cast bytes unchanged): exactly
 * the bytes the commitment hashes.
 */
async function readTileLeaves(store: WalkedStore, from: number, to: number): Promise<SaltedLeaf[]> {
  const leaves: SaltedLeaf[] = new Array(to - from);
  const rows = await store.db.selectFrom('log_leaves as l').leftJoin('audit_entries as e', 'e.seq', 'l.seq')
    .select(['l.log_index', sql<Buffer | null>`cast(e.salt || e.entry as ${sql.raw(store.engine.bytes)})`.as('salted')])
    .where('l.log_index', '>=', from).where('l.log_index', '<', to).execute();
  for (const row of rows) leaves[Number(row.log_index) - from] = row.salted;
  return leaves;
}

/** A tile's stored entry bundle and level-0 tile, as read for a page. */
interface StoredTile {
  bundle: Buffer | undefined;
  tile: Buffer | undefined;
}

/** Scratch space for one tile at a time (walks run one at a time in a thread). */
const scratch = { lengths: new Int32Array(TILE_WIDTH), bundle: Buffer.alloc(TILE_BUNDLE_SIZE), root: Buffer.alloc(HASH_SIZE) };

/**
 * The fast path for a full tile whose entries are all there: `reading` is the one query for the
 * tile's entries (started ahead), then one call of the tile hasher, and the bundle and tile it
 * computed are each compared once with the stored ones. Returns the tile's root (latin1), or undefined when anything differs from the stored log (a
 * missing or reordered row, a changed entry, a bad bundle or tile): the caller then walks the tile
 * row by row, which names the problem. The leaf hashes are written to `hashView` at `at`.
 */
async function checkFullTile(hashTile: TileHasher, reading: Promise<TileEntries | undefined>, tileFrom: number, stored: StoredTile, hashView: Buffer, at: number): Promise<string | undefined> {
  const read = await reading;
  if (!stored.bundle || !stored.tile || stored.tile.length !== TILE_WIDTH * HASH_SIZE) return undefined;
  if (!read || Number(read.leaves) !== TILE_WIDTH || read.leaves_read === null || read.salted === null) return undefined;
  const rows = read.leaves_read;
  const { lengths, bundle, root } = scratch;
  let cursor = 0; // in `rows`, read digit by digit: this runs a million times and allocates nothing
  const number = () => {
    let value = 0;
    const start = cursor;
    for (let c = rows.charCodeAt(cursor); c >= 48 && c <= 57; c = rows.charCodeAt(++cursor)) value = value * 10 + c - 48;
    return cursor > start ? value : -1; // -1 also for a "-1" (entry gone), which the hasher refuses
  };
  for (let k = 0; k < TILE_WIDTH; k++) {
    // Row k must be leaf tileFrom + k: a tile read out of log order goes the row-by-row way.
    if (k > 0 && rows.charCodeAt(cursor++) !== 44) return undefined;
    if (number() !== tileFrom + k || rows.charCodeAt(cursor++) !== 58) return undefined;
    lengths[k] = number();
  }
  if (cursor !== rows.length) return undefined;
  const leafHashes = hashView.subarray(at, at + TILE_WIDTH * HASH_SIZE);
  const bundleLength = hashTile(read.salted, lengths, bundle, leafHashes, root);
  if (bundleLength < 0 || !stored.bundle.equals(bundle.subarray(0, bundleLength)) || !stored.tile.equals(leafHashes)) return undefined;
  return root.toString('latin1');
}

/**
 * What a walk hashes tiles with, and reads them with (by default a reader prepared for this walk;
 * callers that walk many ranges pass one reader for all, tests one that reads another way).
 */
export interface WalkTools {
  hasher: ChosenTileHasher;
  readTile?: TileEntriesReader;
}

/** Walks leaves [from, to); see the file comment. */
export async function walkLeaves(store: WalkedStore, request: LeafWalkRequest, given: WalkTools): Promise<LeafWalk> {
  const { db } = store;
  const { hasher } = given;
  const tools = { readTile: given.readTile ?? tileEntriesReader(store), hashTile: hasher.hashTile };
  const { from, to } = request;
  const leafHashes = new Uint8Array(new ArrayBuffer((to - from) * HASH_SIZE));
  const hashView = Buffer.from(leafHashes.buffer);
  const roots: string[] = [];
  const problems: LogProblem[] = [];
  let problemCount = 0;
  const report = (problem: LogProblem) => {
    problemCount++;
    if (problems.length < request.maxProblems) problems.push(problem);
  };
  let entries = 0;
  let shredded = 0;
  let tiles = 0;
  let rowByRow = 0;
  let end = to;

  walk: for (let pageFrom = from; pageFrom < to; pageFrom += PAGE) {
    const pageTo = Math.min(pageFrom + PAGE, to);
    const firstTile = Math.floor(pageFrom / TILE_WIDTH);
    const lastTile = Math.floor((pageTo - 1) / TILE_WIDTH);
    const stored = new Map<number, StoredTile>();
    const storedOf = (n: number) => {
      let entry = stored.get(n);
      if (!entry) stored.set(n, (entry = { bundle: undefined, tile: undefined }));
      return entry;
    };
    for (const b of await db.selectFrom('log_bundles').select(['n', 'data']).where('n', '>=', firstTile).where('n', '<=', lastTile).execute()) {
      storedOf(Number(b.n)).bundle = b.data;
    }
    for (const t of await db.selectFrom('log_tiles').select(['n', 'data']).where('level', '=', 0).where('n', '>=', firstTile).where('n', '<=', lastTile).execute()) {
      storedOf(Number(t.n)).tile = t.data;
    }
    // Reads of full tiles kept in flight ahead of the one being checked: a database server answers
    // the next ones while this thread hashes. (SQLite answers each at once, whenever it is asked.)
    const reads = new Map<number, Promise<TileEntries | undefined>>();
    const readAhead = (n: number) => {
      for (let k = n; k < n + READ_AHEAD && k <= lastTile; k++) {
        if (reads.has(k) || k * TILE_WIDTH < pageFrom || (k + 1) * TILE_WIDTH > pageTo) continue;
        const reading = tools.readTile(k * TILE_WIDTH, (k + 1) * TILE_WIDTH);
        reading.catch(() => undefined); // a read the walk never reaches (it stopped early) must not fail the process
        reads.set(k, reading);
      }
    };
    for (let n = firstTile; n <= lastTile; n++) {
      const tileFrom = Math.max(n * TILE_WIDTH, pageFrom);
      const tileTo = Math.min((n + 1) * TILE_WIDTH, pageTo);
      const tile = storedOf(n);
      if (tileTo - tileFrom === TILE_WIDTH) {
        readAhead(n);
        const reading = reads.get(n)!;
        reads.delete(n);
        const root = await checkFullTile(tools.hashTile, reading, tileFrom, tile, hashView, (tileFrom - from) * HASH_SIZE);
        if (root !== undefined) {
          roots.push(root);
          entries += TILE_WIDTH;
          tiles++;
          continue;
        }
      }
      rowByRow++;
      const slow = await walkTileRowByRow(store, request, n, tileFrom, tileTo, tile, hashView, from, report);
      entries += slow.entries;
      shredded += slow.shredded;
      if (slow.root !== undefined) {
        roots.push(slow.root);
        tiles++;
      }
      if (slow.truncatedAt !== undefined) {
        end = slow.truncatedAt;
        break walk;
      }
    }
  }
  const tileRoots = new Uint8Array(new ArrayBuffer(roots.length * HASH_SIZE));
  Buffer.from(tileRoots.buffer).write(roots.join(''), 0, 'latin1');
  return { from, end, leafHashes: leafHashes.subarray(0, (end - from) * HASH_SIZE), tileRoots, problems, problemCount, entries, shredded, tiles, rowByRow, hashing: hasher.kind };
}

/**
 * Leaves [tileFrom, tileTo) of tile n one row at a time, naming every problem: a missing leaf row,
 * an entry that no longer matches its commitment, a deletion without a retention run, a bad bundle or
 * tile. The root is returned when the tile is full; `truncatedAt` when nothing is left of a leaf.
 */
async function walkTileRowByRow(
  store: WalkedStore, request: LeafWalkRequest, n: number, tileFrom: number, tileTo: number, stored: StoredTile,
  hashView: Buffer, from: number, report: (problem: LogProblem) => void,
): Promise<{ entries: number; shredded: number; root?: string; truncatedAt?: number }> {
  const { db } = store;
  const leaves = await readTileLeaves(store, tileFrom, tileTo);
  const bundle = stored.bundle;
  const slots = bundle && bundleSlots(bundle);
  const storedTile = stored.tile;
  const storedHash = (index: number) => storedTile?.toString('latin1', (index % TILE_WIDTH) * HASH_SIZE, (index % TILE_WIDTH + 1) * HASH_SIZE);
  if (!slots) report({ code: 'bundle_mismatch', index: tileFrom, message: `entry bundle ${n} is missing or malformed` });
  // Seqs and retention marks are needed only to explain a problem or a missing entry: read them then.
  let details: Map<number, { seq: number; shredded: boolean }> | undefined;
  const detailsOf = async (index: number) => {
    details ??= new Map((await db.selectFrom('log_leaves').select(['log_index', 'seq', 'shredded_at'])
      .where('log_index', '>=', tileFrom).where('log_index', '<', tileTo).execute())
      .map((r) => [Number(r.log_index), { seq: Number(r.seq), shredded: r.shredded_at !== null }]));
    return details.get(index);
  };
  let entries = 0;
  let shredded = 0;
  for (let index = tileFrom; index < tileTo; index++) {
    const salted = leaves[index - tileFrom];
    const slotStart = slots ? slots[2 * (index % TILE_WIDTH)]! : -1;
    const slotLength = slots ? slots[2 * (index % TILE_WIDTH) + 1]! : -1;
    if (slots && slotStart < 0) report({ code: 'bundle_mismatch', index, message: `entry bundle ${n} holds no leaf for entry ${index}` });
    let leafHash: string | undefined;
    if (salted === undefined) {
      report({ code: 'leaf_missing', index, message: `leaf ${index} is not mapped to any audit entry: a leaf row was deleted` });
    } else if (salted !== null) {
      entries++;
      const digest = commitmentDigest(salted);
      if (slotStart >= 0 && bundle!.toString('latin1', slotStart, slotStart + slotLength) !== COMMITMENT_PREFIX + digest) {
        const computedHash = leafHashOf(digest);
        const seq = (await detailsOf(index))?.seq;
        if (computedHash === storedHash(index)) {
          report({ code: 'bundle_mismatch', index, seq, message: `entry bundle ${n} holds a different leaf for entry ${index} (seq ${seq}) than its tile and its entry` });
          leafHash = computedHash;
        } else {
          report({ code: 'entry_altered', index, seq, message: `entry ${index} (seq ${seq}) no longer matches the commitment the log holds for it: its bytes or its salt were changed, or it was swapped with another entry` });
        }
      } else {
        leafHash = leafHashOf(digest);
      }
    } else {
      const detail = await detailsOf(index);
      if (detail?.shredded && covered(request.shredded, index)) {
        shredded++;
      } else {
        report({ code: 'entry_missing', index, seq: detail?.seq, message: `entry ${index} (seq ${detail?.seq}) was deleted${detail?.shredded ? ' and marked shredded' : ''} without a recorded retention run covering it` });
      }
    }
    // Go on with the stored leaf, so one bad entry does not hide the rest behind a root mismatch.
    leafHash ??= slotStart >= 0 ? leafHashLatin1(bundle!.subarray(slotStart, slotStart + slotLength)) : storedHash(index);
    if (leafHash === undefined) {
      report({ code: 'truncated', index, message: `nothing is left of leaf ${index} (no entry, bundle or tile): the log was truncated` });
      return { entries, shredded, truncatedAt: index };
    }
    hashView.write(leafHash, (index - from) * HASH_SIZE, 'latin1');
  }
  if (tileTo - tileFrom < TILE_WIDTH) return { entries, shredded };
  const at = (tileFrom - from) * HASH_SIZE;
  if (!storedTile || storedTile.length < TILE_WIDTH * HASH_SIZE || storedTile.compare(hashView, at, at + TILE_WIDTH * HASH_SIZE, 0, TILE_WIDTH * HASH_SIZE) !== 0) {
    report({ code: 'tile_mismatch', index: n * TILE_WIDTH, message: `tile 0/${n} (from leaf ${n * TILE_WIDTH}) is missing or does not hold the leaf hashes recomputed from the entries` });
  }
  return { entries, shredded, root: tileRootAt(hashView, at) };
}
