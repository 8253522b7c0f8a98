/**
 * Proof verification exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) write it,
 * plus the edge cases transparency-log.md asks for: index < size, equal sizes need an empty proof,
 * and no consistency proof from the empty tree. Every failure throws `invalid_proof`.
 */
import { TlogError } from './errors.ts';
import { emptyRoot, HASH_SIZE, nodeHash } from './merkle.ts';
import { equalBytes } from './text-codec.ts';
import { toTreeIndex, type TreeIndex } from './tree-size.ts';

function fail(message: string): never {
  throw new TlogError('invalid_proof', message);
}

function assertProofHashes(proof: readonly Uint8Array[]): void {
  proof.forEach((p, i) => {
    if (p.length !== HASH_SIZE) fail(`proof element ${i} is ${p.length} bytes, not a ${HASH_SIZE}-byte hash`);
  });
}

/** Shifts fn and sn right together until fn's lowest bit is set or fn is 0 (RFC 9162 wording). */
function shiftUntilLowBitSetOrZero(fn: bigint, sn: bigint): [bigint, bigint] {
  while ((fn & 1n) === 0n && fn !== 0n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  return [fn, sn];
}

/**
 * RFC 9162 §2.1.3.2: checks that `leafHash` is leaf number `index` of the tree of `size` leaves
 * whose root is `root`, given PATH(index, D[size]). Throws `invalid_proof` otherwise.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: TreeIndex,
  size: TreeIndex,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const leafIndex = toTreeIndex(index, 'leaf index');
  const treeSize = toTreeIndex(size, 'tree size');
  // Step 1: the leaf must be in the tree.
  if (leafIndex >= treeSize) fail(`leaf index ${leafIndex} is not below tree size ${treeSize}`);
  if (leafHash.length !== HASH_SIZE) fail(`leaf hash is ${leafHash.length} bytes, not ${HASH_SIZE}`);
  assertProofHashes(proof);
  // Steps 2–4.
  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0n) fail(`proof has ${proof.length} hashes, more than a tree of size ${treeSize} needs`);
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      [fn, sn] = shiftUntilLowBitSetOrZero(fn, sn);
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  // Step 5.
  if (sn !== 0n) fail(`proof has ${proof.length} hashes, fewer than a tree of size ${treeSize} needs`);
  if (!equalBytes(r, root)) fail(`leaf ${leafIndex} is not in the tree of size ${treeSize} with that root`);
}

/**
 * RFC 9162 §2.1.4.2: checks that the tree of `size1` leaves with root `root1` is a prefix of the tree
 * of `size2` leaves with root `root2`, given PROOF(size1, D[size2]). Throws `invalid_proof` otherwise.
 * A size-0 tree must have the empty root, and no proof *from* size 0 is accepted: a witness's first
 * `old 0` submission has nothing to verify and must not call this.
 */
export function verifyConsistency(
  size1: TreeIndex,
  size2: TreeIndex,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  const first = toTreeIndex(size1, 'old tree size');
  const second = toTreeIndex(size2, 'new tree size');
  if (first > second) fail(`old size ${first} is larger than new size ${second}`);
  if (first === second) {
    if (proof.length !== 0) fail(`sizes are equal (${first}) so the proof must be empty, got ${proof.length} hashes`);
    if (first === 0n && !equalBytes(root1, emptyRoot())) fail('a tree of size 0 must have the empty root SHA-256("")');
    if (!equalBytes(root1, root2)) fail(`the two roots of the tree of size ${first} differ`);
    return;
  }
  if (first === 0n) fail('no consistency proof from the empty tree: every tree extends it, so there is nothing to prove');
  // Step 1.
  if (proof.length === 0) fail(`an empty proof cannot show size ${first} is a prefix of size ${second}`);
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE) fail(`roots must be ${HASH_SIZE}-byte hashes`);
  assertProofHashes(proof);
  // Step 2: if first is an exact power of two, its root is the first node of the path.
  const path = (first & (first - 1n)) === 0n ? [root1, ...proof] : [...proof];
  // Steps 3–4.
  let fn = first - 1n;
  let sn = second - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  // Steps 5–6.
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) fail(`proof has ${proof.length} hashes, more than sizes ${first} → ${second} need`);
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      [fn, sn] = shiftUntilLowBitSetOrZero(fn, sn);
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  // Step 7.
  if (sn !== 0n) fail(`proof has ${proof.length} hashes, fewer than sizes ${first} → ${second} need`);
  if (!equalBytes(fr, root1)) fail(`the proof does not lead to the old root of size ${first}`);
  if (!equalBytes(sr, root2)) fail(`the proof does not lead to the new root of size ${second}`);
}
