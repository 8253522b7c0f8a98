/**
 * RFC 6962 §2.1 / RFC 9162 §2.1.1 Merkle Tree Hash with SHA-256: the empty tree hashes to SHA-256(""),
 * a leaf to SHA-256(0x00 ‖ data), an inner node to SHA-256(0x01 ‖ left ‖ right).
 */
import { hash } from 'node:crypto';
import { TlogError } from './errors.ts';

/** Bytes in every hash of the tree (SHA-256). */
export const HASH_SIZE = 32;
/** RFC 6962 §2.1 domain-separation prefix of leaf hashes. */
export const LEAF_HASH_PREFIX = 0x00;
/** RFC 6962 §2.1 domain-separation prefix of interior node hashes. */
export const NODE_HASH_PREFIX = 0x01;

const LEAF_PREFIX = Buffer.of(LEAF_HASH_PREFIX);
/**
 * Reused input of nodeHash: 0x01 ‖ left ‖ right. One-shot crypto.hash over one buffer is about twice
 * as fast as a Hash object per node, and trees hash about one node per leaf.
 */
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE, NODE_HASH_PREFIX);

/** MTH({}) = SHA-256(""): the root of the empty tree. */
export function emptyRoot(): Buffer {
  return hash('sha256', Buffer.alloc(0), 'buffer');
}

/** MTH({d}) = SHA-256(0x00 ‖ d): the hash of one leaf's data (the entry bytes as logged). */
export function leafHash(data: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

/** SHA-256(0x01 ‖ left ‖ right): the hash of an interior node; both children must be 32 bytes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new TlogError('invalid_argument', `node children must be ${HASH_SIZE}-byte hashes, got ${left.length} and ${right.length} bytes`);
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}

/**
 * The root of the tree whose leaves have the given hashes, in order. Iterative (a stack of complete
 * subtrees), so a million leaves need no deep recursion; equals MTH(D[n]) of RFC 6962 §2.1.
 */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) return emptyRoot();
  const stack: Buffer[] = [];
  for (let i = 0; i < hashes.length; i++) {
    let hash: Buffer = Buffer.from(assertHash(hashes[i]!, `leaf hash ${i}`));
    for (let merged = i + 1; (merged & 1) === 0; merged >>= 1) hash = nodeHash(stack.pop()!, hash);
    stack.push(hash);
  }
  let root = stack.pop()!;
  while (stack.length > 0) root = nodeHash(stack.pop()!, root);
  return root;
}

/** Returns `hash` if it is exactly {@link HASH_SIZE} bytes, else throws `invalid_argument`. */
export function assertHash(hash: Uint8Array, what: string): Uint8Array {
  if (hash.length !== HASH_SIZE) {
    throw new TlogError('invalid_argument', `${what} must be a ${HASH_SIZE}-byte SHA-256 hash, got ${hash.length} bytes`);
  }
  return hash;
}
