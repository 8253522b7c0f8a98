import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashFromTile, tileForStoredHash, tileHashReader, tileNodes, tilesForSize, tilesToPublish } from './tile-layout.ts';
import { proveConsistency, proveInclusion } from './proof-plan.ts';
import { extendCompactRange, emptyCompactRange } from './compact-range.ts';
import { tilePath, type TileRef } from './tile-path.ts';
import { leafHashes, memoryReader, path, subproof } from './fixtures/memory-tree.ts';

const summary = (tiles: TileRef[]) => tiles.map((t) => tilePath(t.level, t.n, t.width));

describe('the tiles of a tree size (tlog-tiles §Partial Tiles)', () => {
  it('70,000 entries: 273 full + width-112 at level 0, full + width-17 at level 1, width-1 at level 2', () => {
    const tiles = tilesForSize(70_000);
    const level0 = tiles.filter((t) => t.level === 0);
    expect(level0.filter((t) => t.width === 256)).toHaveLength(273);
    expect(level0.filter((t) => t.width < 256)).toEqual([{ level: 0, n: 273n, width: 112 }]);
    expect(tiles.filter((t) => t.level === 1)).toEqual([{ level: 1, n: 0n, width: 256 }, { level: 1, n: 1n, width: 17 }]);
    expect(tiles.filter((t) => t.level === 2)).toEqual([{ level: 2, n: 0n, width: 1 }]);
    expect(tiles).toHaveLength(277);
  });

  it('256 entries: one full level-0 tile and a width-1 level-1 tile', () => {
    expect(summary(tilesForSize(256))).toEqual(['tile/0/000', 'tile/1/000.p/1']);
    expect(tilesForSize(0)).toEqual([]);
  });

  it('publishing in steps ends with the same full tiles and the final partial ones', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 6 }), (steps) => {
      let size = 0;
      const published = new Set<string>();
      for (const step of steps) {
        for (const p of summary(tilesToPublish(size, size + step))) published.add(p);
        size += step;
      }
      const final = summary(tilesForSize(size));
      for (const p of final) expect(published.has(p)).toBe(true);
      const fullPublished = [...published].filter((p) => !p.includes('.p/'));
      expect(fullPublished.sort()).toEqual(final.filter((p) => !p.includes('.p/')).sort());
    }));
  });
});

describe('locating a stored hash in its tile', () => {
  it('puts tree level 8L in tile level L and folds the levels between', () => {
    expect(tileForStoredHash(0, 1234n)).toEqual({ tile: { level: 0, n: 4n, width: 211 }, start: 210, end: 211 });
    expect(tileForStoredHash(3, 5n)).toEqual({ tile: { level: 0, n: 0n, width: 48 }, start: 40, end: 48 });
    expect(tileForStoredHash(8, 300n)).toEqual({ tile: { level: 1, n: 1n, width: 45 }, start: 44, end: 45 });
    expect(tileForStoredHash(10, 1n)).toEqual({ tile: { level: 1, n: 0n, width: 8 }, start: 4, end: 8 });
  });

  it('reads every complete subtree of a 70,000-leaf tree from its tiles, and proofs through tiles match', () => {
    const size = 70_000;
    const leaves = leafHashes(size);
    const { stored } = extendCompactRange(emptyCompactRange(), leaves);
    const byNode = new Map(stored.map((s) => [`${s.level}/${s.index}`, s.hash]));
    const tileData = (level: number, n: bigint) => {
      const tile = tilesForSize(size).find((t) => t.level === level && t.n === n)!;
      return Buffer.concat(tileNodes(tile).map((node) => byNode.get(`${node.level}/${node.index}`)!));
    };
    const read = tileHashReader(tileData);
    for (const s of stored.filter((_, i) => i % 97 === 0)) expect(s.hash.equals(read(s.level, s.index))).toBe(true);
    const small = leaves.slice(0, 3000);
    const reference = memoryReader(small);
    expect(proveInclusion(2345, 3000, read)).toEqual(proveInclusion(2345, 3000, reference));
    expect(proveInclusion(2345, 3000, read)).toEqual(path(small, 2345));
    expect(proveConsistency(1000, 3000, read)).toEqual(subproof(small, 1000, 0, 3000, true));
  });

  it('refuses tile data that is too short or not whole hashes', () => {
    const malformed = expect.objectContaining({ code: 'malformed_tile' });
    expect(() => hashFromTile(Buffer.alloc(32 * 10), 0, 10n)).toThrow(malformed);
    expect(() => hashFromTile(Buffer.alloc(33), 0, 0n)).toThrow(malformed);
    expect(() => hashFromTile(Buffer.alloc(32 * 257), 0, 0n)).toThrow(malformed);
  });
});
