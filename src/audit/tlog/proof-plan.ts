/**
 * Building inclusion and consistency proofs (RFC 6962 §2.1.1 PATH, §2.1.2 PROOF/SUBPROOF) from stored
 * hashes. A store only ever holds hashes of *complete* subtrees — the node at (level, index) is the
 * root of leaves [index·2^level, (index+1)·2^level), as in tlog-tiles — so every proof element is
 * computed from a few of them. Proof building is split in two so an asynchronous store (database,
 * tiles) can fetch all the hashes it needs in one batch:
 *
 * 1. `plan…` says which stored nodes are needed (pure, no I/O);
 * 2. the caller reads them, in the listed order, and passes them to `plan.assemble`.
 *
 * @example
 * const plan = planInclusionProof(index, size);
 * const proof = plan.assemble(await store.readHashes(plan.nodes));
 */
import { TlogError } from './errors.ts';
import { assertHash, emptyRoot, nodeHash } from './merkle.ts';
import { bitLength, largestPowerOfTwoIn, splitPoint, toTreeIndex, type TreeIndex } from './tree-size.ts';

/** A stored hash: the root of the complete subtree of 2^level leaves starting at leaf index·2^level. */
export interface NodeId {
  readonly level: number;
  readonly index: bigint;
}

/** Synchronous access to stored hashes, for in-memory trees and tests. */
export type HashReader = (level: number, index: bigint) => Uint8Array;

/** The stored nodes a result needs and how to combine their hashes, once read, into the result. */
export interface HashPlan<T> {
  readonly nodes: readonly NodeId[];
  assemble(hashes: readonly Uint8Array[]): T;
}

/** A range of leaves [start, end) whose Merkle Tree Hash MTH(D[start:end]) a proof needs. */
interface LeafRange { start: bigint; end: bigint }

/** RFC 6962 §2.1.1: the subtrees whose hashes form PATH(m, D[n]), leaf's sibling first. */
function inclusionRanges(m: bigint, n: bigint): LeafRange[] {
  const topDown: LeafRange[] = [];
  let start = 0n;
  let end = n;
  while (end - start > 1n) {
    const mid = start + splitPoint(end - start);
    if (m < mid) {
      topDown.push({ start: mid, end });
      end = mid;
    } else {
      topDown.push({ start, end: mid });
      start = mid;
    }
  }
  return topDown.reverse();
}

/** RFC 6962 §2.1.2: the subtrees whose hashes form SUBPROOF(m, D[n], true), in proof order. */
function consistencyRanges(m: bigint, n: bigint): LeafRange[] {
  const topDown: LeafRange[] = [];
  let start = 0n;
  let end = n;
  let complete = true; // the "b" flag: is D[start:m] a subtree the verifier already knows?
  while (m !== end) {
    const mid = start + splitPoint(end - start);
    if (m <= mid) {
      topDown.push({ start: mid, end });
      end = mid;
    } else {
      topDown.push({ start, end: mid });
      start = mid;
      complete = false;
    }
  }
  const proof = topDown.reverse();
  return complete ? proof : [{ start, end }, ...proof];
}

/** Splits [start, end) into the complete subtrees that compose it, largest (leftmost) first. */
export function rangeNodes(start: bigint, end: bigint): NodeId[] {
  const nodes: NodeId[] = [];
  while (start < end) {
    const size = largestPowerOfTwoIn(end - start);
    const level = bitLength(size) - 1;
    nodes.push({ level, index: start >> BigInt(level) });
    start += size;
  }
  return nodes;
}

/** Combines the hashes of a range's complete subtrees, in {@link rangeNodes} order, into MTH. */
function foldRange(hashes: readonly Uint8Array[]): Buffer {
  let hash: Buffer = Buffer.from(hashes[hashes.length - 1]!);
  for (let i = hashes.length - 2; i >= 0; i--) hash = nodeHash(hashes[i]!, hash);
  return hash;
}

function planRanges(ranges: readonly LeafRange[]): HashPlan<Buffer[]> {
  const perRange = ranges.map((r) => rangeNodes(r.start, r.end));
  return {
    nodes: perRange.flat(),
    assemble(hashes) {
      const expected = perRange.reduce((sum, nodes) => sum + nodes.length, 0);
      if (hashes.length !== expected) {
        throw new TlogError('invalid_argument', `expected ${expected} stored hashes, got ${hashes.length}`);
      }
      hashes.forEach((h, i) => assertHash(h, `stored hash ${i}`));
      let next = 0;
      return perRange.map((nodes) => foldRange(hashes.slice(next, (next += nodes.length))));
    },
  };
}

/** Plans PATH(index, D[size]) (RFC 6962 §2.1.1). Requires index < size. */
export function planInclusionProof(index: TreeIndex, size: TreeIndex): HashPlan<Buffer[]> {
  const m = toTreeIndex(index, 'leaf index');
  const n = toTreeIndex(size, 'tree size');
  if (m >= n) throw new TlogError('invalid_argument', `leaf index ${m} is not in a tree of size ${n}`);
  return planRanges(inclusionRanges(m, n));
}

/**
 * Plans PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true) (RFC 6962 §2.1.2). Requires
 * 0 < size1 ≤ size2; equal sizes give the empty proof.
 */
export function planConsistencyProof(size1: TreeIndex, size2: TreeIndex): HashPlan<Buffer[]> {
  const m = toTreeIndex(size1, 'old tree size');
  const n = toTreeIndex(size2, 'new tree size');
  if (m === 0n || m > n) {
    throw new TlogError('invalid_argument', `no consistency proof exists from size ${m} to size ${n}; need 0 < old ≤ new`);
  }
  return planRanges(m === n ? [] : consistencyRanges(m, n));
}

/** Plans MTH(D[size]), the root of the tree of the given size, from its complete subtrees. */
export function planTreeHash(size: TreeIndex): HashPlan<Buffer> {
  const n = toTreeIndex(size, 'tree size');
  const nodes = rangeNodes(0n, n);
  return {
    nodes,
    assemble(hashes) {
      if (n === 0n) return emptyRoot();
      return planRanges([{ start: 0n, end: n }]).assemble(hashes)[0]!;
    },
  };
}

/** Reads a plan's hashes from a synchronous {@link HashReader} and assembles the result. */
export function runPlan<T>(plan: HashPlan<T>, read: HashReader): T {
  return plan.assemble(plan.nodes.map((node) => read(node.level, node.index)));
}

/** PATH(index, D[size]) read from `read`. */
export function proveInclusion(index: TreeIndex, size: TreeIndex, read: HashReader): Buffer[] {
  return runPlan(planInclusionProof(index, size), read);
}

/** PROOF(size1, D[size2]) read from `read`. */
export function proveConsistency(size1: TreeIndex, size2: TreeIndex, read: HashReader): Buffer[] {
  return runPlan(planConsistencyProof(size1, size2), read);
}

/** MTH(D[size]) read from `read`. */
export function treeHash(size: TreeIndex, read: HashReader): Buffer {
  return runPlan(planTreeHash(size), read);
}
