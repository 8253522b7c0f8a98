import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from './merkle-verify.ts';
import { consistencyProbes, inclusionProbes } from './fixtures/merkle-vectors.ts';
import { leafHashes, mth, path, subproof } from './fixtures/memory-tree.ts';

function outcome(check: () => void): 'accepted' | 'rejected' {
  try {
    check();
    return 'accepted';
  } catch (e) {
    expect(e).toMatchObject({ name: 'TlogError', code: 'invalid_proof' });
    return 'rejected';
  }
}

function groupByDesc<T extends { desc: string }>(probes: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const p of probes) groups.set(p.desc, [...(groups.get(p.desc) ?? []), p]);
  return groups;
}

const inclusion = inclusionProbes();
const consistency = consistencyProbes();

describe('the golden probes of transparency-dev/merkle', () => {
  it('are all present: 196 inclusion and consistency probes', () => {
    expect(inclusion.length + consistency.length).toBe(196);
  });
});

// One describe per failure mode: the vectors name each probe after the mutation it applies.
for (const [desc, probes] of groupByDesc(inclusion)) {
  describe(`inclusion probes: ${desc}`, () => {
    for (const p of probes) {
      it(`${p.file} is ${p.wantErr ? 'rejected' : 'accepted'}`, () => {
        expect(outcome(() => verifyInclusion(p.leafHash, p.leafIdx, p.treeSize, p.proof, p.root))).toBe(p.wantErr ? 'rejected' : 'accepted');
      });
    }
  });
}

for (const [desc, probes] of groupByDesc(consistency)) {
  describe(`consistency probes: ${desc}`, () => {
    for (const p of probes) {
      it(`${p.file} is ${p.wantErr ? 'rejected' : 'accepted'}`, () => {
        expect(outcome(() => verifyConsistency(p.size1, p.size2, p.proof, p.root1, p.root2))).toBe(p.wantErr ? 'rejected' : 'accepted');
      });
    }
  });
}

const LEAVES = leafHashes(300);
const treeAndIndex = fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));
const twoSizes = fc.integer({ min: 2, max: 300 }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n - 1 }), fc.constant(n)));

function flipBit(bytes: Buffer, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

describe('inclusion proofs built by the RFC 6962 definition', () => {
  it('verify for every size and index', () => {
    fc.assert(fc.property(treeAndIndex, ([n, m]) => {
      const leaves = LEAVES.slice(0, n);
      verifyInclusion(leaves[m]!, m, n, path(leaves, m), mth(leaves));
    }));
  });

  it('are rejected after any single flipped bit in the proof, the root or the leaf', () => {
    fc.assert(fc.property(treeAndIndex, fc.nat(), fc.nat(255), ([n, m], pick, bit) => {
      const leaves = LEAVES.slice(0, n);
      const proof = path(leaves, m);
      const root = mth(leaves);
      const target = pick % (proof.length + 2);
      const leaf = target === proof.length ? flipBit(leaves[m]!, bit) : leaves[m]!;
      const badRoot = target === proof.length + 1 ? flipBit(root, bit) : root;
      const badProof = proof.map((h, i) => (i === target ? flipBit(h, bit) : h));
      expect(outcome(() => verifyInclusion(leaf, m, n, badProof, badRoot))).toBe('rejected');
    }));
  });

  it('are rejected for another index, a truncated or an extended proof', () => {
    fc.assert(fc.property(treeAndIndex, ([n, m]) => {
      const leaves = LEAVES.slice(0, n);
      const proof = path(leaves, m);
      const root = mth(leaves);
      if (n > 1) expect(outcome(() => verifyInclusion(leaves[m]!, (m + 1) % n, n, proof, root))).toBe('rejected');
      if (proof.length > 0) expect(outcome(() => verifyInclusion(leaves[m]!, m, n, proof.slice(1), root))).toBe('rejected');
      expect(outcome(() => verifyInclusion(leaves[m]!, m, n, [...proof, root], root))).toBe('rejected');
    }));
  });
});

describe('consistency proofs built by the RFC 6962 definition', () => {
  it('verify for every pair of sizes', () => {
    fc.assert(fc.property(twoSizes, ([m, n]) => {
      const leaves = LEAVES.slice(0, n);
      verifyConsistency(m, n, subproof(leaves, m, 0, n, true), mth(leaves, 0, m), mth(leaves));
    }));
  });

  it('are rejected after any single flipped bit in the proof or either root', () => {
    fc.assert(fc.property(twoSizes, fc.nat(), fc.nat(255), ([m, n], pick, bit) => {
      const leaves = LEAVES.slice(0, n);
      const proof = subproof(leaves, m, 0, n, true);
      const target = pick % (proof.length + 2);
      const root1 = target === proof.length ? flipBit(mth(leaves, 0, m), bit) : mth(leaves, 0, m);
      const root2 = target === proof.length + 1 ? flipBit(mth(leaves), bit) : mth(leaves);
      const badProof = proof.map((h, i) => (i === target ? flipBit(h, bit) : h));
      expect(outcome(() => verifyConsistency(m, n, badProof, root1, root2))).toBe('rejected');
    }));
  });
});

describe('edge cases transparency-log.md requires', () => {
  const root = mth(LEAVES.slice(0, 5));
  it('rejects an index equal to the size', () => {
    expect(outcome(() => verifyInclusion(LEAVES[5]!, 5, 5, [], root))).toBe('rejected');
  });
  it('rejects a non-empty proof between equal sizes', () => {
    expect(outcome(() => verifyConsistency(5, 5, [root], root, root))).toBe('rejected');
  });
  it('rejects any proof from size 0, even an empty one', () => {
    expect(outcome(() => verifyConsistency(0, 5, [], mth([]), root))).toBe('rejected');
  });
  it('accepts size 0 to size 0 only with the empty root', () => {
    expect(outcome(() => verifyConsistency(0, 0, [], mth([]), mth([])))).toBe('accepted');
  });
  it('refuses negative or unsafe sizes as invalid arguments', () => {
    expect(() => verifyInclusion(LEAVES[0]!, -1, 5, [], root)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => verifyInclusion(LEAVES[0]!, 0, 2 ** 60, [], root)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
