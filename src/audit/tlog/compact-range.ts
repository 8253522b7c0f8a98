/**
 * Growing the tree in batches without rereading it. A tree of size n is summed up by its "right
 * border" (a compact range): the roots of the complete subtrees that make it up, one per set bit of
 * n, largest first. Appending leaf hashes to that border yields every new complete-subtree hash a
 * store must keep (leaf hashes included) and the new root — what an integrator writes per batch.
 */
import { TlogError } from './errors.ts';
import { assertHash, emptyRoot, nodeHash } from './merkle.ts';
import { rangeNodes, type NodeId } from './proof-plan.ts';
import { toTreeIndex, type TreeIndex } from './tree-size.ts';

/** The right border of a tree: `hashes[i]` is the root of `rangeNodes(0, size)[i]`. */
export interface CompactRange {
  readonly size: bigint;
  readonly hashes: readonly Buffer[];
}

/** A complete-subtree hash created by an append, to be written to the store (e.g. into a tile). */
export interface StoredHash extends NodeId {
  readonly hash: Buffer;
}

/** The result of {@link extendCompactRange}. */
export interface Extension {
  readonly range: CompactRange;
  /** New stored hashes in creation order: each leaf, then the subtrees it completes, bottom-up. */
  readonly stored: StoredHash[];
  readonly root: Buffer;
}

/** The border of the empty tree. */
export function emptyCompactRange(): CompactRange {
  return { size: 0n, hashes: [] };
}

/** Which stored hashes an integrator must read to rebuild the border of a tree of `size` leaves. */
export function compactRangeNodes(size: TreeIndex): NodeId[] {
  return rangeNodes(0n, toTreeIndex(size, 'tree size'));
}

/** Builds a border from the hashes of {@link compactRangeNodes}(size), read from the store. */
export function compactRangeFromHashes(size: TreeIndex, hashes: readonly Uint8Array[]): CompactRange {
  const n = toTreeIndex(size, 'tree size');
  const expected = compactRangeNodes(n).length;
  if (hashes.length !== expected) {
    throw new TlogError('invalid_argument', `a tree of size ${n} has ${expected} border hashes, got ${hashes.length}`);
  }
  return { size: n, hashes: hashes.map((h, i) => Buffer.from(assertHash(h, `border hash ${i}`))) };
}

/** MTH of the tree the border describes: fold the subtree roots from the right (RFC 6962 §2.1). */
export function compactRangeRoot(range: CompactRange): Buffer {
  const { hashes } = range;
  if (hashes.length === 0) return emptyRoot();
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
  return root;
}

/**
 * Appends leaf hashes to a tree given only its border. Each leaf lands at index `size`; every
 * trailing 1-bit of the old size marks a subtree the new leaf completes, merged bottom-up.
 */
export function extendCompactRange(range: CompactRange, leafHashes: readonly Uint8Array[]): Extension {
  const stack = [...compactRangeFromHashes(range.size, range.hashes).hashes];
  const stored: StoredHash[] = [];
  let size = range.size;
  for (const [i, leaf] of leafHashes.entries()) {
    let hash: Buffer = Buffer.from(assertHash(leaf, `leaf hash ${i}`));
    stored.push({ level: 0, index: size, hash });
    let level = 0;
    for (let rest = size; (rest & 1n) === 1n; rest >>= 1n) {
      hash = nodeHash(stack.pop()!, hash);
      level++;
      stored.push({ level, index: size >> BigInt(level), hash });
    }
    stack.push(hash);
    size++;
  }
  const next = { size, hashes: stack };
  return { range: next, stored, root: compactRangeRoot(next) };
}
