/**
 * Where hashes live in c2sp.org/tlog-tiles. Tile n at level L holds the stored hashes of tree level
 * 8L with indexes n·256 … n·256+255 (each the root of a full tile one level down); the seven tree
 * levels between two tile levels are recomputed by hashing inside a tile, as in Go's sumdb/tlog.
 */
import { TlogError } from './errors.ts';
import { HASH_SIZE, nodeHash } from './merkle.ts';
import type { HashReader, NodeId } from './proof-plan.ts';
import { TILE_HEIGHT, TILE_WIDTH, type TileRef } from './tile-path.ts';
import { toTreeIndex, type TreeIndex } from './tree-size.ts';

const HEIGHT = BigInt(TILE_HEIGHT);
const WIDTH_MASK = BigInt(TILE_WIDTH - 1);

/**
 * The tiles that change when the tree grows from `oldSize` to `newSize`: every tile that became full,
 * then the new partial tile of each level (tlog-tiles §Partial Tiles: width floor(s/256^L) mod 256).
 * Level by level, lowest first. A tree of size 0 has no tiles.
 */
export function tilesToPublish(oldSize: TreeIndex, newSize: TreeIndex): TileRef[] {
  const before = toTreeIndex(oldSize, 'old tree size');
  const after = toTreeIndex(newSize, 'new tree size');
  if (before > after) throw new TlogError('invalid_argument', `old size ${before} is larger than new size ${after}`);
  const tiles: TileRef[] = [];
  for (let level = 0; after >> (HEIGHT * BigInt(level)) > 0n; level++) {
    const oldCount = before >> (HEIGHT * BigInt(level)); // hashes at this level before the append
    const newCount = after >> (HEIGHT * BigInt(level));
    if (newCount === oldCount) continue;
    for (let n = oldCount >> HEIGHT; n < newCount >> HEIGHT; n++) tiles.push({ level, n, width: TILE_WIDTH });
    const width = Number(newCount & WIDTH_MASK);
    if (width > 0) tiles.push({ level, n: newCount >> HEIGHT, width });
  }
  return tiles;
}

/** Every tile a tree of `size` leaves is served as (full and partial). 70,000 → 273+1, 1+1, 1. */
export function tilesForSize(size: TreeIndex): TileRef[] {
  return tilesToPublish(0n, size);
}

/** The stored hashes a tile holds, in order: level 8L, indexes n·256 … n·256+width-1. */
export function tileNodes(tile: TileRef): NodeId[] {
  const first = tile.n << HEIGHT;
  return Array.from({ length: tile.width }, (_, i) => ({ level: tile.level * TILE_HEIGHT, index: first + BigInt(i) }));
}

/** Where a stored hash is found: the narrowest tile containing it and the hash positions [start, end) to fold. */
export interface TileLocation {
  readonly tile: TileRef;
  readonly start: number;
  readonly end: number;
}

/**
 * Locates stored hash (level, index): in the tile at level ⌊level/8⌋, as the root of the 2^(level mod 8)
 * tile hashes it spans (cf. Go's tlog.TileForIndex).
 */
export function tileForStoredHash(level: number, index: TreeIndex): TileLocation {
  if (!Number.isInteger(level) || level < 0 || level > 63) {
    throw new TlogError('invalid_argument', `tree level must be 0–63, got ${level}`);
  }
  const i = toTreeIndex(index, 'node index');
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const within = BigInt(level % TILE_HEIGHT);
  const first = i << within; // the first tile-level hash under the node
  const n = first >> HEIGHT;
  const start = Number(first & WIDTH_MASK);
  const end = start + (1 << Number(within));
  return { tile: { level: tileLevel, n, width: end }, start, end };
}

/** MTH of 2^k consecutive tile hashes, given as one byte string. */
function foldTileHashes(data: Uint8Array): Buffer {
  if (data.length === HASH_SIZE) return Buffer.from(data);
  const half = data.length / 2;
  return nodeHash(foldTileHashes(data.subarray(0, half)), foldTileHashes(data.subarray(half)));
}

/**
 * Reads stored hash (level, index) out of tile data (the tile's bytes, full or partial). Throws
 * `malformed_tile` if the data is not whole hashes or too short to hold it.
 */
export function hashFromTile(data: Uint8Array, level: number, index: TreeIndex): Buffer {
  const { tile, start, end } = tileForStoredHash(level, index);
  if (data.length % HASH_SIZE !== 0 || data.length > TILE_WIDTH * HASH_SIZE) {
    throw new TlogError('malformed_tile', `tile data of ${data.length} bytes is not 1–${TILE_WIDTH} whole ${HASH_SIZE}-byte hashes`);
  }
  if (data.length < end * HASH_SIZE) {
    throw new TlogError('malformed_tile', `tile ${tile.level}/${tile.n} holds ${data.length / HASH_SIZE} hashes; stored hash (${level}, ${index}) needs ${end}`);
  }
  return foldTileHashes(data.subarray(start * HASH_SIZE, end * HASH_SIZE));
}

/**
 * A {@link HashReader} over tiles: `readTile(level, n)` returns the bytes of that tile (the full tile,
 * or the partial tile of the tree size being proved). Use it to build proofs from tlog-tiles storage.
 */
export function tileHashReader(readTile: (level: number, n: bigint) => Uint8Array): HashReader {
  return (level, index) => {
    const { tile } = tileForStoredHash(level, index);
    return hashFromTile(readTile(tile.level, tile.n), level, index);
  };
}
