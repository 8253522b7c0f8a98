import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryBundlePath, formatTileIndex, parseTilePath, tilePath } from './tile-path.ts';

describe('tile index encoding (tlog-tiles §Merkle Tree)', () => {
  it('writes 3-digit groups with x on all but the last', () => {
    expect(formatTileIndex(1234067)).toBe('x001/x234/067');
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(999)).toBe('999');
    expect(formatTileIndex(1000)).toBe('x001/000');
  });

  it('writes full and partial tile and bundle paths', () => {
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067');
    expect(tilePath(2, 0, 1)).toBe('tile/2/000.p/1');
    expect(entryBundlePath(273, 112)).toBe('tile/entries/273.p/112');
    expect(entryBundlePath(5)).toBe('tile/entries/005');
  });

  it('refuses widths, levels and indexes outside the spec', () => {
    const invalid = expect.objectContaining({ code: 'invalid_argument' });
    expect(() => tilePath(0, 1, 0)).toThrow(invalid);
    expect(() => tilePath(0, 1, 257)).toThrow(invalid);
    expect(() => tilePath(64, 1)).toThrow(invalid);
    expect(() => tilePath(0, -1)).toThrow(invalid);
  });
});

describe('parsing paths back', () => {
  it('round-trips every tile and bundle path', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 63 }), fc.bigInt({ min: 0n, max: 2n ** 56n }), fc.integer({ min: 1, max: 256 }), (level, n, width) => {
      expect(parseTilePath(tilePath(level, n, width))).toEqual({ kind: 'tile', tile: { level, n, width } });
      expect(parseTilePath(entryBundlePath(n, width))).toEqual({ kind: 'entries', n, width });
    }));
  });

  it.each([
    ['tile/0/x000/067', 'a leading zero group'],
    ['tile/0/67', 'a group of two digits'],
    ['tile/0/x001/x234', 'an x on the last group'],
    ['tile/0/001/234', 'no x on an inner group'],
    ['tile/00/001', 'a level with a leading zero'],
    ['tile/64/001', 'level 64'],
    ['tile/0/001.p/256', 'a partial width of 256'],
    ['tile/0/001.p/0', 'a partial width of 0'],
    ['tile/0/001.p/012', 'a width with a leading zero'],
    ['tile/data/001', 'the Go data level instead of entries'],
    ['tile/8/0/001', "Go's height element"],
    ['/tile/0/001', 'a leading slash'],
    ['tile/0/001/', 'a trailing slash'],
    ['tile/-1/001', 'a negative level'],
  ])('rejects %s (%s)', (path) => {
    expect(() => parseTilePath(path)).toThrow(expect.objectContaining({ code: 'malformed_tile_path' }));
  });
});
