import { describe, expect, it } from 'vitest';
import { leafHash, rootFromLeafHashes, tilesForSize, tileNodes } from '../tlog/index.ts';
import { leafHashLatin1, TreeRecomputer } from './tree-recomputer.ts';

describe('TreeRecomputer', () => {
  it('gives RFC 6962 roots and the tlog-tiles tiles at every size', () => {
    const leaves = Array.from({ length: 256 * 256 + 300 }, (_, i) => Buffer.from(`leaf ${i}`));
    const hashes = leaves.map(leafHash);
    const full = new Map<string, string>();
    const tree = new TreeRecomputer((level, n, data) => full.set(`${level}/${n}`, data));
    const checkAt = new Set([1, 2, 3, 255, 256, 257, 65535, 65536, 65537, leaves.length]);
    for (const [i, leaf] of leaves.entries()) {
      const h = leafHashLatin1(leaf);
      expect(h).toBe(hashes[i]!.toString('latin1'));
      tree.push(h);
      if (checkAt.has(i + 1)) expect(Buffer.from(tree.root(), 'latin1').equals(rootFromLeafHashes(hashes.slice(0, i + 1)))).toBe(true);
    }
    // Stored hashes of an in-memory tree, to compare every tile with.
    const read = (level: number, index: bigint) => rootFromLeafHashes(hashes.slice(Number(index) * 2 ** level, (Number(index) + 1) * 2 ** level));
    const partial = new Map(tree.partialTiles().map((p) => [`${p.level}/${p.n}`, p]));
    for (const ref of tilesForSize(leaves.length)) {
      const expected = Buffer.concat(tileNodes(ref).map((node) => (node.level === 0 ? hashes[Number(node.index)]! : read(node.level, node.index)))).toString('latin1');
      const got = ref.width === 256 ? full.get(`${ref.level}/${ref.n}`) : partial.get(`${ref.level}/${ref.n}`)?.data;
      expect(got, `tile ${ref.level}/${ref.n}`).toBe(expected);
    }
    expect(new TreeRecomputer(() => undefined).root()).toBe(Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex').toString('latin1'));
  });
});
