import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compactRangeFromHashes, compactRangeNodes, compactRangeRoot, emptyCompactRange, extendCompactRange, type CompactRange, type StoredHash,
} from './compact-range.ts';
import { leafHashes, memoryReader, mth } from './fixtures/memory-tree.ts';

const LEAVES = leafHashes(600);

describe('extending a tree in random batches', () => {
  it('gives the same root as building it from scratch, after every batch', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 15 }), (batches) => {
      let range: CompactRange = emptyCompactRange();
      for (const count of batches) {
        const start = Number(range.size);
        const extension = extendCompactRange(range, LEAVES.slice(start, start + count));
        range = extension.range;
        expect(extension.root.equals(mth(LEAVES.slice(0, start + count)))).toBe(true);
        expect(compactRangeRoot(range).equals(extension.root)).toBe(true);
      }
    }));
  });

  it('emits every complete subtree exactly once, each with its true hash', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 8 }), (batches) => {
      let range: CompactRange = emptyCompactRange();
      const stored: StoredHash[] = [];
      for (const count of batches) {
        const start = Number(range.size);
        const extension = extendCompactRange(range, LEAVES.slice(start, start + count));
        stored.push(...extension.stored);
        range = extension.range;
      }
      const size = Number(range.size);
      const read = memoryReader(LEAVES.slice(0, size));
      let expected = 0;
      for (let level = 0; 2 ** level <= size; level++) expected += Math.floor(size / 2 ** level);
      expect(stored.length).toBe(expected);
      expect(new Set(stored.map((s) => `${s.level}/${s.index}`)).size).toBe(expected);
      for (const s of stored) expect(s.hash.equals(read(s.level, s.index))).toBe(true);
    }));
  });
});

describe('resuming from the store', () => {
  it('rebuilds the border from the stored hashes compactRangeNodes names', () => {
    const read = memoryReader(LEAVES.slice(0, 345));
    const nodes = compactRangeNodes(345);
    const range = compactRangeFromHashes(345, nodes.map((n) => read(n.level, n.index)));
    const resumed = extendCompactRange(range, LEAVES.slice(345, 600));
    expect(resumed.root.equals(mth(LEAVES))).toBe(true);
  });

  it('refuses a border with the wrong number of hashes', () => {
    expect(() => compactRangeFromHashes(3, [LEAVES[0]!])).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => extendCompactRange({ size: 3n, hashes: [] }, [LEAVES[0]!])).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
