/**
 * What one integration batch writes (pure): the hash tiles and entry bundles that change when the
 * tree grows from `oldSize` to `newSize` (c2sp.org/tlog-tiles). A growing partial tile is rewritten
 * whole — its old prefix plus the new hashes — so each stored tile is always complete for its width,
 * and a narrower partial tile of an older checkpoint is a prefix of it.
 */
import {
  decodeEntryBundle, encodeEntryBundle, HASH_SIZE, TILE_HEIGHT, TILE_WIDTH, tilesToPublish, type StoredHash,
} from '../tlog/index.ts';
import { FlowguardError } from '../../errors.ts';

/** A tile or bundle to store, at its new width. */
export interface TileWrite { level: number; n: number; width: number; data: Buffer }
export interface BundleWrite { n: number; width: number; data: Buffer }

/** Inputs of {@link buildBatchTiles}. */
export interface BatchTilesInput {
  oldSize: number;
  newSize: number;
  /** New complete-subtree hashes from extendCompactRange (all levels; only multiples of 8 are used). */
  stored: readonly StoredHash[];
  /** The new leaves' data (entry commitments), leaf `oldSize + i` at position i. */
  leaves: readonly Uint8Array[];
  /** Stored data of the partial tile each level had at `oldSize` (see {@link partialTilesAt}). */
  oldTiles: ReadonlyMap<number, Uint8Array>;
  /** Stored data of the partial entry bundle at `oldSize`, if any. */
  oldBundle?: Uint8Array;
}

/** The partial tile (level → index n) a tree of `size` leaves has at each level, where it has one. */
export function partialTilesAt(size: number): Array<{ level: number; n: number }> {
  const tiles: Array<{ level: number; n: number }> = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    if (count % TILE_WIDTH !== 0) tiles.push({ level, n: Math.floor(count / TILE_WIDTH) });
  }
  return tiles;
}

/** Hash count at tile level L of a tree of `size` leaves: size / 256^L, rounded down. */
function hashesAtLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** The tiles and bundles to write for one batch. */
export function buildBatchTiles(input: BatchTilesInput): { tiles: TileWrite[]; bundles: BundleWrite[] } {
  const { oldSize, newSize, stored, leaves, oldTiles } = input;
  const upper = new Map<string, Buffer>();
  for (const node of stored) {
    if (node.level > 0 && node.level % TILE_HEIGHT === 0) upper.set(`${node.level / TILE_HEIGHT}/${node.index}`, node.hash);
  }
  const leafHashes = stored.filter((node) => node.level === 0);
  const tiles: TileWrite[] = [];
  for (const ref of tilesToPublish(oldSize, newSize)) {
    const n = Number(ref.n);
    const first = n * TILE_WIDTH;
    const oldCount = hashesAtLevel(oldSize, ref.level);
    const data = Buffer.alloc(ref.width * HASH_SIZE);
    for (let i = 0; i < ref.width; i++) {
      const index = first + i;
      let hash: Uint8Array | undefined;
      if (index < oldCount) {
        hash = oldTiles.get(ref.level)?.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
      } else if (ref.level === 0) {
        hash = leafHashes[index - oldSize]?.hash;
      } else {
        hash = upper.get(`${ref.level}/${index}`);
      }
      if (hash === undefined || hash.length !== HASH_SIZE) {
        throw new FlowguardError('internal', `tile ${ref.level}/${n}: hash ${index} is neither in the stored partial tile nor in the batch`);
      }
      data.set(hash, i * HASH_SIZE);
    }
    tiles.push({ level: ref.level, n, width: ref.width, data });
  }
  const oldEntries = input.oldBundle ? decodeEntryBundle(input.oldBundle) : [];
  const bundles = tiles.filter((t) => t.level === 0).map(({ n, width }) => {
    const entries: Uint8Array[] = [];
    for (let index = n * TILE_WIDTH; index < n * TILE_WIDTH + width; index++) {
      const entry = index < oldSize ? oldEntries[index % TILE_WIDTH] : leaves[index - oldSize];
      if (entry === undefined) throw new FlowguardError('internal', `bundle ${n}: entry ${index} is neither in the stored partial bundle nor in the batch`);
      entries.push(entry);
    }
    return { n, width, data: encodeEntryBundle(entries) };
  });
  return { tiles, bundles };
}
