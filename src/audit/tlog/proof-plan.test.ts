import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planConsistencyProof, planInclusionProof, proveConsistency, proveInclusion, rangeNodes, treeHash } from './proof-plan.ts';
import { verifyConsistency, verifyInclusion } from './merkle-verify.ts';
import { leafHashes, memoryReader, mth, path, subproof } from './fixtures/memory-tree.ts';

const LEAVES = leafHashes(200);
const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));

describe('proofs from stored complete subtrees equal the RFC 6962 recursions', () => {
  it('PATH(m, D[n]) for every n ≤ 70 and m < n', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = LEAVES.slice(0, n);
      for (let m = 0; m < n; m++) expect(hex(proveInclusion(m, n, memoryReader(leaves)))).toEqual(hex(path(leaves, m)));
    }
  });

  it('PROOF(m, D[n]) for every n ≤ 70 and 0 < m ≤ n', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = LEAVES.slice(0, n);
      for (let m = 1; m <= n; m++) expect(hex(proveConsistency(m, n, memoryReader(leaves)))).toEqual(hex(subproof(leaves, m, 0, n, true)));
    }
  });

  it('MTH(D[n]) for every n ≤ 200', () => {
    for (let n = 0; n <= 200; n++) expect(treeHash(n, memoryReader(LEAVES.slice(0, n))).equals(mth(LEAVES.slice(0, n)))).toBe(true);
  });

  it('verify with the RFC 9162 verifiers for random sizes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(), fc.nat(), (n, a, b) => {
      const leaves = LEAVES.slice(0, n);
      const read = memoryReader(leaves);
      const m = a % n;
      const old = 1 + (b % n);
      verifyInclusion(leaves[m]!, m, n, proveInclusion(m, n, read), mth(leaves));
      verifyConsistency(old, n, proveConsistency(old, n, read), mth(leaves, 0, old), mth(leaves));
    }));
  });
});

describe('plans name only complete subtrees, few of them', () => {
  it('splits a range into aligned powers of two, largest first', () => {
    expect(rangeNodes(0n, 13n)).toEqual([{ level: 3, index: 0n }, { level: 2, index: 2n }, { level: 0, index: 12n }]);
    expect(rangeNodes(8n, 13n)).toEqual([{ level: 2, index: 2n }, { level: 0, index: 12n }]);
  });

  it('needs at most two stored hashes per proof element (log-sized reads)', () => {
    const size = 1_000_000_007n;
    const inclusion = planInclusionProof(123_456_789n, size);
    const consistency = planConsistencyProof(999_999n, size);
    expect(inclusion.nodes.length).toBeLessThanOrEqual(2 * 30);
    expect(consistency.nodes.length).toBeLessThanOrEqual(2 * 30);
  });

  it('accept hashes read asynchronously, in the listed order', async () => {
    const leaves = LEAVES.slice(0, 77);
    const read = memoryReader(leaves);
    const plan = planInclusionProof(40, 77);
    const hashes = await Promise.all(plan.nodes.map(async (node) => read(node.level, node.index)));
    expect(hex(plan.assemble(hashes))).toEqual(hex(path(leaves, 40)));
  });
});

describe('impossible requests are invalid arguments', () => {
  const invalid = expect.objectContaining({ code: 'invalid_argument' });
  it('an index at or past the size', () => expect(() => planInclusionProof(5, 5)).toThrow(invalid));
  it('a consistency proof from size 0 or to a smaller size', () => {
    expect(() => planConsistencyProof(0, 5)).toThrow(invalid);
    expect(() => planConsistencyProof(6, 5)).toThrow(invalid);
  });
  it('the wrong number of hashes given to assemble', () => {
    expect(() => planInclusionProof(1, 5).assemble([])).toThrow(invalid);
  });
});
