/**
 * What the 256 salted entries of a full tile must hash to: the entry bundle (each leaf's commitment,
 * length-prefixed), the 256 RFC 6962 leaf hashes (the level-0 tile) and the tile's root. `audit
 * verify` compares the first two with the stored log and builds the tree from the roots.
 *
 * Two implementations, one contract. Through node:crypto an entry takes three SHA-256 calls (its
 * commitment, its leaf hash and on average one node hash), each costing about 0.25 µs before a byte
 * is hashed: more than the hashing itself. The native addon (./native, built by `npm
 * install`) hashes a whole tile in one call with the same OpenSSL; the JavaScript hasher is used
 * where the addon was not built, and is the reference the tests hold the addon to.
 */
import { hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { COMMITMENT_PREFIX, HASH_SIZE, TILE_WIDTH } from '../tlog/index.ts';

/**
 * Writes a tile's entry bundle to `bundleOut`, its leaf hashes to `leafHashesOut` (8,192 bytes) and
 * its root to `rootOut` (32 bytes) from `salted`, the salt ‖ entry of its 256 leaves concatenated,
 * `lengths[k]` bytes each. Returns the bundle's length, or -1 when the lengths do not add up to
 * `salted` (nothing is then written).
 */
export type TileHasher = (salted: Uint8Array, lengths: Int32Array, bundleOut: Buffer, leafHashesOut: Buffer, rootOut: Buffer) => number;

/** Room for a full tile's bundle: each commitment is the prefix and a 44-character base64 digest. */
export const TILE_BUNDLE_SIZE = TILE_WIDTH * (2 + COMMITMENT_PREFIX.length + 44);

/**
 * The commitment `fg-entry/v1 ` ‖ base64(SHA-256(salt ‖ entry)) (commitment.ts) is kept as its
 * base64 digest, a string: a string of ASCII characters hashes as exactly those bytes, and a string
 * is what node:crypto returns fastest.
 */
export const commitmentDigest = (saltAndEntry: Uint8Array) => hash('sha256', saltAndEntry, 'base64');
/** RFC 6962 leaf-hash prefix and the commitment prefix. */
const LEAF_PREFIX = `\x00${COMMITMENT_PREFIX}`;
/** SHA-256(0x00 ‖ commitment), latin1, from the commitment's digest. */
export const leafHashOf = (digest: string) => hash('sha256', LEAF_PREFIX + digest, 'binary');
/** A commitment's length in a bundle (uint16, big-endian) as two latin1 characters. */
const BUNDLE_LENGTH = String.fromCharCode(0, COMMITMENT_PREFIX.length + 44);

const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);
const levelScratch = Buffer.alloc((TILE_WIDTH / 2) * HASH_SIZE);

/**
 * MTH of the 256 leaf hashes at `at` in `leaves`, latin1, folded pairwise as RFC 6962 splits a full
 * subtree. Each level is written over the start of a scratch buffer: pair i is read from
 * [64i, 64i + 64) before its parent goes to [32i, 32i + 32), which no later pair reads.
 */
export function tileRootAt(leaves: Buffer, at: number): string {
  let level = leaves;
  let offset = at;
  let root = '';
  for (let width = TILE_WIDTH / 2; width >= 1; width /= 2) {
    for (let i = 0; i < width; i++) {
      level.copy(nodeInput, 1, offset + 2 * i * HASH_SIZE, offset + 2 * (i + 1) * HASH_SIZE);
      root = hash('sha256', nodeInput, 'binary');
      if (width > 1) levelScratch.write(root, i * HASH_SIZE, 'latin1');
    }
    level = levelScratch;
    offset = 0;
  }
  return root;
}

function lengthsMatch(salted: Uint8Array, lengths: Int32Array): boolean {
  if (lengths.length !== TILE_WIDTH) return false;
  let total = 0;
  for (let k = 0; k < TILE_WIDTH; k++) {
    if (!(lengths[k]! > 0)) return false;
    total += lengths[k]!;
  }
  return total === salted.length;
}

/** The tile hasher over node:crypto: bundle and leaf hashes built as latin1 strings, written once. */
export const javascriptTileHasher: TileHasher = (salted, lengths, bundleOut, leafHashesOut, rootOut) => {
  if (!lengthsMatch(salted, lengths)) return -1;
  const bytes = Buffer.from(salted.buffer, salted.byteOffset, salted.byteLength);
  let bundle = '';
  let tile = '';
  let offset = 0;
  for (let k = 0; k < TILE_WIDTH; k++) {
    const digest = commitmentDigest(bytes.subarray(offset, offset + lengths[k]!));
    offset += lengths[k]!;
    bundle += BUNDLE_LENGTH + COMMITMENT_PREFIX + digest;
    tile += leafHashOf(digest);
  }
  leafHashesOut.write(tile, 0, 'latin1');
  rootOut.write(tileRootAt(leafHashesOut, 0), 0, 'latin1');
  return bundleOut.write(bundle, 0, 'latin1');
};

/** Where `npm install` builds the addon (bin/build-native.mjs), seen from this source file. */
const BUILT_ADDON = './native/build/Release/tile_hasher.node';

/** The addon's path beside these sources, if it was built. (Inside the workers' bundle it is passed in instead.) */
export function builtTileHasherPath(): string | undefined {
  const path = fileURLToPath(new URL(BUILT_ADDON, import.meta.url));
  return existsSync(path) ? path : undefined;
}

const PREFIX_BYTES = Buffer.from(COMMITMENT_PREFIX, 'ascii');
const loaded = new Map<string, TileHasher | null>();

/** The native tile hasher at `path`, or undefined if it cannot be loaded (not built, built for another Node). */
export function loadTileHasher(path: string): TileHasher | undefined {
  if (!loaded.has(path)) {
    try {
      const addon = createRequire(import.meta.url)(path) as {
        hashTile(salted: Uint8Array, lengths: Int32Array, prefix: Uint8Array, bundleOut: Uint8Array, leafHashesOut: Uint8Array, rootOut: Uint8Array): number;
      };
      loaded.set(path, (salted, lengths, bundleOut, leafHashesOut, rootOut) => addon.hashTile(salted, lengths, PREFIX_BYTES, bundleOut, leafHashesOut, rootOut));
    } catch {
      loaded.set(path, null);
    }
  }
  return loaded.get(path) ?? undefined;
}

/** How a verification hashes: the native addon at `path`, or JavaScript. */
export type TileHashing = { kind: 'native'; path: string } | { kind: 'javascript' };

/** The native addon if it was built and loads here, else JavaScript. */
export function defaultTileHashing(): TileHashing {
  const path = builtTileHasherPath();
  return path !== undefined && loadTileHasher(path) ? { kind: 'native', path } : { kind: 'javascript' };
}

/** A hasher and what it is. */
export interface ChosenTileHasher {
  kind: TileHashing['kind'];
  hashTile: TileHasher;
}

/**
 * The hasher `hashing` names. Throws if it names an addon that does not load here: a worker thread
 * told to hash natively then fails, and this thread walks its ranges instead, so a verification
 * never mixes the two without saying so.
 */
export function chooseTileHasher(hashing: TileHashing): ChosenTileHasher {
  if (hashing.kind === 'javascript') return { kind: 'javascript', hashTile: javascriptTileHasher };
  const native = loadTileHasher(hashing.path);
  if (!native) throw new Error(`the native tile hasher at ${hashing.path} does not load here`);
  return { kind: 'native', hashTile: native };
}
