import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptyRoot, leafHash, nodeHash, rootFromLeafHashes } from './merkle.ts';
import { leafHashes, mth } from './fixtures/memory-tree.ts';

// test/vectors/merkle/README.md: the eight leaf inputs behind the vector trees and their heads.
const VECTOR_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
  .map((hex) => leafHash(Buffer.from(hex, 'hex')));
const VECTOR_ROOTS: Record<number, string> = {
  1: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  2: 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  4: 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  8: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
};

describe('hash definitions (RFC 6962 §2.1)', () => {
  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(emptyRoot().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(rootFromLeafHashes([]).equals(emptyRoot())).toBe(true);
  });

  it('prefixes leaves with 0x00 and nodes with 0x01 before SHA-256', () => {
    const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    expect(leafHash(a).equals(sha256(Buffer.of(0), a))).toBe(true);
    expect(nodeHash(a, b).equals(sha256(Buffer.of(1), a, b))).toBe(true);
    expect(leafHash(Buffer.concat([a, b])).equals(nodeHash(a, b))).toBe(false);
  });
});

describe('small-tree roots of the vector README', () => {
  for (const [size, root] of Object.entries(VECTOR_ROOTS)) {
    it(`size ${size}`, () => {
      expect(rootFromLeafHashes(VECTOR_LEAVES.slice(0, Number(size))).toString('hex')).toBe(root);
    });
  }
});

describe('rootFromLeafHashes against the recursive definition', () => {
  it('agrees for every size from 0 to 300', () => {
    const leaves = leafHashes(300);
    for (let n = 0; n <= 300; n++) expect(rootFromLeafHashes(leaves.slice(0, n)).equals(mth(leaves.slice(0, n)))).toBe(true);
  });

  it('refuses leaf hashes that are not 32 bytes', () => {
    expect(() => rootFromLeafHashes([Buffer.alloc(31)])).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
