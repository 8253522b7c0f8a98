/**
 * The per-leaf half of `audit verify` (verify-log.ts), over one range of leaves so ranges can run in
 * parallel: for each leaf, recompute the commitment from the entry and its salt, compare it with the
 * entry bundle, hash it (RFC 6962 leaf hash), compare every full level-0 tile with the stored one and
 * fold it into its root. The caller builds the rest of the tree from the tile roots.
 *
 * Faults are isolated: when an entry no longer matches its commitment, the stored leaf is used to go
 * on, so the report names that entry rather than every tile and root above it.
 */
import { hash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { EngineTypes } from '../../store/dialect/dialect-kind.ts';
import type { Database } from '../../store/schema.ts';
import { COMMITMENT_PREFIX, HASH_SIZE, TILE_WIDTH } from '../tlog/index.ts';
import type { LeafRanges } from './retention.ts';
import { leafHashLatin1, nodeHashLatin1 } from './tree-recomputer.ts';
import type { LogProblem } from './verify-problems.ts';

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
}

export interface LeafWalkRequest {
  /** First leaf; a multiple of 256. */
  from: number;
  to: number;
  /** Leaf ranges covered by recorded retention runs. */
  shredded: LeafRanges;
  /** Problems kept in detail (the rest are only counted). */
  maxProblems: number;
  /** The store's engine (its byte-string column type, to read salt ‖ entry as one value). */
  engine: EngineTypes;
}

/** Rows read per query. */
const PAGE = 8_192;

/**
 * `fg-entry/v1 ` ‖ base64(SHA-256(salt ‖ entry)) into a reused buffer (commitment.ts without
 * allocations), right after the RFC 6962 leaf prefix 0x00 so the leaf hash needs no copy either.
 */
class CommitmentWriter {
  readonly #input = Buffer.alloc(1 + COMMITMENT_PREFIX.length + 44, 0x00);
  /** The leaf data last written. */
  readonly leaf = this.#input.subarray(1);

  constructor() {
    this.leaf.write(COMMITMENT_PREFIX, 0, 'ascii');
  }

  /** The commitment of the salt and entry, given as one byte string salt ‖ entry. */
  write(saltAndEntry: Uint8Array): Buffer {
    this.leaf.write(hash('sha256', saltAndEntry, 'base64'), COMMITMENT_PREFIX.length, 'ascii');
    return this.leaf;
  }

  /** SHA-256(0x00 ‖ leaf) of the leaf last written, latin1. */
  leafHash(): string {
    return hash('sha256', this.#input, 'binary');
  }
}

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

/** MTH of 256 leaf hashes (latin1), folded pairwise as RFC 6962 splits a full subtree. */
function tileRoot(hashes: string[]): string {
  let level = hashes;
  while (level.length > 1) {
    const up: string[] = new Array(level.length / 2);
    for (let i = 0; i < up.length; i++) up[i] = nodeHashLatin1(level[2 * i]!, level[2 * i + 1]!);
    level = up;
  }
  return level[0]!;
}

/** One leaf as read: undefined = no leaf row, null = the entry (and salt) are gone, else salt ‖ entry. */
type SaltedLeaf = Buffer | null | undefined;

/**
 * The salted entries of leaves [pageFrom, pageTo), indexed from pageFrom. Salt and entry come as one
 * value (both engines concatenate and cast bytes unchanged): one buffer per row instead of two, and
 * exactly the bytes the commitment hashes. Per-row materialisation dominates reading a large log.
 */
async function readPageLeaves(db: Kysely<Database>, request: LeafWalkRequest, pageFrom: number, pageTo: number): Promise<SaltedLeaf[]> {
  const leaves: SaltedLeaf[] = new Array(pageTo - pageFrom);
  const rows = await db.selectFrom('log_leaves as l').leftJoin('audit_entries as e', 'e.seq', 'l.seq')
    .select(['l.log_index', sql<Buffer | null>`cast(e.salt || e.entry as ${sql.raw(request.engine.bytes)})`.as('salted')])
    .where('l.log_index', '>=', pageFrom).where('l.log_index', '<', pageTo).execute();
  for (const row of rows) leaves[Number(row.log_index) - pageFrom] = row.salted;
  return leaves;
}

/** Walks leaves [from, to); see the file comment. */
export async function walkLeaves(db: Kysely<Database>, request: LeafWalkRequest): Promise<LeafWalk> {
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
  const commitment = new CommitmentWriter();
  let entries = 0;
  let shredded = 0;
  let tiles = 0;
  let end = to;
  let tile: string[] = [];

  walk: for (let pageFrom = from; pageFrom < to; pageFrom += PAGE) {
    const pageTo = Math.min(pageFrom + PAGE, to);
    const firstTile = Math.floor(pageFrom / TILE_WIDTH);
    const lastTile = Math.floor((pageTo - 1) / TILE_WIDTH);
    const pageLeaves = await readPageLeaves(db, request, pageFrom, pageTo);
    const bundles = new Map<number, { data: Buffer; slots: Int32Array | undefined }>();
    for (const b of await db.selectFrom('log_bundles').select(['n', 'data']).where('n', '>=', firstTile).where('n', '<=', lastTile).execute()) {
      bundles.set(Number(b.n), { data: b.data, slots: bundleSlots(b.data) });
    }
    const storedTiles = new Map<number, Buffer>();
    for (const t of await db.selectFrom('log_tiles').select(['n', 'data']).where('level', '=', 0).where('n', '>=', firstTile).where('n', '<=', lastTile).execute()) {
      storedTiles.set(Number(t.n), t.data);
    }
    for (let n = firstTile; n <= lastTile; n++) {
      const tileFrom = Math.max(n * TILE_WIDTH, pageFrom);
      const tileTo = Math.min((n + 1) * TILE_WIDTH, pageTo);
      const bundle = bundles.get(n);
      const slots = bundle?.slots;
      const storedTile = storedTiles.get(n);
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
      for (let index = tileFrom; index < tileTo; index++) {
        const salted = pageLeaves[index - pageFrom];
        const slotStart = slots ? slots[2 * (index % TILE_WIDTH)]! : -1;
        const slotLength = slots ? slots[2 * (index % TILE_WIDTH) + 1]! : -1;
        if (slots && slotStart < 0) report({ code: 'bundle_mismatch', index, message: `entry bundle ${n} holds no leaf for entry ${index}` });
        let leafHash: string | undefined;
        if (salted === undefined) {
          report({ code: 'leaf_missing', index, message: `leaf ${index} is not mapped to any audit entry: a leaf row was deleted` });
        } else if (salted !== null) {
          entries++;
          const computed = commitment.write(salted);
          if (slotStart >= 0 && (slotLength !== computed.length || computed.compare(bundle!.data, slotStart, slotStart + slotLength) !== 0)) {
            const computedHash = commitment.leafHash();
            const seq = (await detailsOf(index))?.seq;
            if (computedHash === storedHash(index)) {
              report({ code: 'bundle_mismatch', index, seq, message: `entry bundle ${n} holds a different leaf for entry ${index} (seq ${seq}) than its tile and its entry` });
              leafHash = computedHash;
            } else {
              report({ code: 'entry_altered', index, seq, message: `entry ${index} (seq ${seq}) no longer matches the commitment the log holds for it: its bytes or its salt were changed, or it was swapped with another entry` });
            }
          } else {
            leafHash = commitment.leafHash();
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
        leafHash ??= slotStart >= 0 ? leafHashLatin1(bundle!.data.subarray(slotStart, slotStart + slotLength)) : storedHash(index);
        if (leafHash === undefined) {
          report({ code: 'truncated', index, message: `nothing is left of leaf ${index} (no entry, bundle or tile): the log was truncated` });
          end = index;
          break walk;
        }
        hashView.write(leafHash, (index - from) * HASH_SIZE, 'latin1');
        tile.push(leafHash);
        if (tile.length === TILE_WIDTH) {
          tiles++;
          const at = (index + 1 - TILE_WIDTH - from) * HASH_SIZE;
          if (!storedTile || storedTile.length < TILE_WIDTH * HASH_SIZE || storedTile.compare(hashView, at, at + TILE_WIDTH * HASH_SIZE, 0, TILE_WIDTH * HASH_SIZE) !== 0) {
            report({ code: 'tile_mismatch', index: n * TILE_WIDTH, message: `tile 0/${n} (from leaf ${n * TILE_WIDTH}) is missing or does not hold the leaf hashes recomputed from the entries` });
          }
          roots.push(tileRoot(tile));
          tile = [];
        }
      }
    }
  }
  const tileRoots = new Uint8Array(new ArrayBuffer(roots.length * HASH_SIZE));
  Buffer.from(tileRoots.buffer).write(roots.join(''), 0, 'latin1');
  return { from, end, leafHashes: leafHashes.subarray(0, (end - from) * HASH_SIZE), tileRoots, problems, problemCount, entries, shredded, tiles };
}
