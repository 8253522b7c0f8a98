import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryCommitment, encodeEntryBundle, HASH_SIZE, leafHash, rootFromLeafHashes, TILE_WIDTH } from '../tlog/index.ts';
import { builtTileHasherPath, javascriptTileHasher, loadTileHasher, TILE_BUNDLE_SIZE, type TileHasher } from './tile-hasher.ts';

const nativePath = builtTileHasherPath();
if (process.env.CI === 'true' && (nativePath === undefined || !loadTileHasher(nativePath))) {
  throw new Error('CI=true but the native tile hasher is not built or does not load: `npm ci` builds it (bin/build-native.mjs)');
}
const native = nativePath === undefined ? undefined : loadTileHasher(nativePath);

/** A tile of 256 salted entries: 32-byte salts and entries of any length up to `maxEntry`. */
const tileOf = (maxEntry: number) => fc.array(fc.tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 0, maxLength: maxEntry })), { minLength: TILE_WIDTH, maxLength: TILE_WIDTH });

/** What the tlog reference code (commitment.ts, entry-bundle.ts, merkle.ts) says the tile must be. */
function reference(tile: Array<[Uint8Array, Uint8Array]>) {
  const commitments = tile.map(([salt, entry]) => entryCommitment(salt, entry));
  const leaves = commitments.map((c) => leafHash(c));
  return { bundle: encodeEntryBundle(commitments), leaves: Buffer.concat(leaves), root: rootFromLeafHashes(leaves) };
}

function run(hasher: TileHasher, tile: Array<[Uint8Array, Uint8Array]>) {
  const salted = Buffer.concat(tile.flatMap(([salt, entry]) => [salt, entry]));
  const lengths = Int32Array.from(tile, ([salt, entry]) => salt.length + entry.length);
  const bundle = Buffer.alloc(TILE_BUNDLE_SIZE);
  const leaves = Buffer.alloc(TILE_WIDTH * HASH_SIZE);
  const root = Buffer.alloc(HASH_SIZE);
  const length = hasher(salted, lengths, bundle, leaves, root);
  return { length, bundle: bundle.subarray(0, Math.max(0, length)), leaves, root };
}

const hashers: Array<[string, TileHasher | undefined]> = [['JavaScript', javascriptTileHasher], ['native', native]];

describe.each(hashers)('the %s tile hasher', (_name, hasher) => {
  it.skipIf(!hasher)('computes the bundle, leaf hashes and root the tlog reference code computes, for any entries', () => {
    fc.assert(fc.property(tileOf(600), (tile) => {
      const got = run(hasher!, tile);
      const want = reference(tile);
      expect(got.length).toBe(want.bundle.length);
      expect(got.bundle.equals(want.bundle)).toBe(true);
      expect(got.leaves.equals(want.leaves)).toBe(true);
      expect(got.root.equals(want.root)).toBe(true);
    }), { numRuns: 25 });
  });

  it.skipIf(!hasher)('refuses lengths that do not add up to the salted bytes, and writes nothing', () => {
    fc.assert(fc.property(tileOf(40), fc.nat(TILE_WIDTH - 1), fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0), (tile, k, delta) => {
      const salted = Buffer.concat(tile.flatMap(([salt, entry]) => [salt, entry]));
      const lengths = Int32Array.from(tile, ([salt, entry]) => salt.length + entry.length);
      lengths[k] = lengths[k]! + delta;
      const bundle = Buffer.alloc(TILE_BUNDLE_SIZE, 0xee);
      const leaves = Buffer.alloc(TILE_WIDTH * HASH_SIZE, 0xee);
      const root = Buffer.alloc(HASH_SIZE, 0xee);
      expect(hasher!(salted, lengths, bundle, leaves, root)).toBe(-1);
      expect([bundle, leaves, root].every((b) => b.every((byte) => byte === 0xee))).toBe(true);
    }), { numRuns: 30 });
  });
});

describe('the native tile hasher', () => {
  it.skipIf(!native)('answers hashes in whatever buffers it is given, including views into a larger one', () => {
    const tile = Array.from({ length: TILE_WIDTH }, (_, k): [Uint8Array, Uint8Array] => [Buffer.alloc(32, k), Buffer.from(`entry ${k}`)]);
    const salted = Buffer.concat(tile.flatMap(([salt, entry]) => [salt, entry]));
    const lengths = Int32Array.from(tile, ([salt, entry]) => salt.length + entry.length);
    const big = Buffer.alloc(3 * TILE_WIDTH * HASH_SIZE);
    const root = Buffer.alloc(HASH_SIZE);
    const bundle = Buffer.alloc(TILE_BUNDLE_SIZE);
    native!(salted, lengths, bundle, big.subarray(TILE_WIDTH * HASH_SIZE, 2 * TILE_WIDTH * HASH_SIZE), root);
    expect(big.subarray(TILE_WIDTH * HASH_SIZE, 2 * TILE_WIDTH * HASH_SIZE).equals(reference(tile).leaves)).toBe(true);
    expect(big.subarray(0, TILE_WIDTH * HASH_SIZE).every((b) => b === 0)).toBe(true);
    expect(big.subarray(2 * TILE_WIDTH * HASH_SIZE).every((b) => b === 0)).toBe(true);
  });

  it.skipIf(!native)('throws a TypeError or RangeError for arguments of the wrong kind or size instead of reading past them', () => {
    const salted = Buffer.alloc(TILE_WIDTH * 40);
    const lengths = new Int32Array(TILE_WIDTH).fill(40);
    const ok = [salted, lengths, Buffer.alloc(TILE_BUNDLE_SIZE), Buffer.alloc(TILE_WIDTH * HASH_SIZE), Buffer.alloc(HASH_SIZE)] as const;
    expect(native!(...ok)).toBe(TILE_BUNDLE_SIZE);
    expect(() => native!(salted, new Int32Array(10).fill(40), ok[2], ok[3], ok[4])).toThrow(RangeError);
    expect(() => native!(salted, lengths, Buffer.alloc(100), ok[3], ok[4])).toThrow(RangeError);
    expect(() => native!(salted, lengths, ok[2], Buffer.alloc(TILE_WIDTH * HASH_SIZE - 1), ok[4])).toThrow(RangeError);
    expect(() => native!(salted, lengths, ok[2], ok[3], Buffer.alloc(31))).toThrow(RangeError);
    expect(() => native!(salted, new Uint32Array(TILE_WIDTH) as unknown as Int32Array, ok[2], ok[3], ok[4])).toThrow(TypeError);
    expect(() => native!('text' as unknown as Uint8Array, lengths, ok[2], ok[3], ok[4])).toThrow(TypeError);
  });
});
