/**
 * The console's browser verifier (web/src/verify/tlog.ts, WebCrypto only) against the Node log
 * library: inclusion proofs rebuilt from tiles give the tree's root for trees that span partial
 * tiles and higher tile levels, and the checkpoint signature check accepts the log's key only.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { generateNoteKey, leafHash as nodeLeafHash, rootFromLeafHashes, signCheckpoint, parseSignerKey } from '../src/audit/tlog/index.ts';
import { TileHashReader, rootFromInclusionProof, parseCheckpoint, verifyCheckpointSignature, verifyEntry, entryLeaf } from '../web/src/verify/tlog.ts';

const bytes = (b: Uint8Array) => new Uint8Array(b) as Uint8Array<ArrayBuffer>;

/** Tiles (c2sp.org/tlog-tiles) of a tree, computed naively from its leaf hashes. */
function tilesOf(leaves: Buffer[]): Map<string, Uint8Array<ArrayBuffer>> {
  const tiles = new Map<string, Uint8Array<ArrayBuffer>>();
  const format = (n: number) => {
    let text = String(n % 1000).padStart(3, '0');
    for (let rest = Math.floor(n / 1000); rest > 0; rest = Math.floor(rest / 1000)) text = `x${String(rest % 1000).padStart(3, '0')}/${text}`;
    return text;
  };
  for (let level = 0; ; level++) {
    const span = 256 ** level;
    const nodes = Math.floor(leaves.length / span);
    if (nodes === 0) break;
    const hashes = Array.from({ length: nodes }, (_, i) => rootFromLeafHashes(leaves.slice(i * span, (i + 1) * span)));
    for (let n = 0; n * 256 < nodes; n++) {
      const width = Math.min(256, nodes - n * 256);
      tiles.set(`tile/${level}/${format(n)}${width === 256 ? '' : `.p/${width}`}`, bytes(Buffer.concat(hashes.slice(n * 256, n * 256 + width))));
    }
  }
  return tiles;
}

describe('browser log verifier', () => {
  for (const size of [1, 2, 3, 7, 255, 256, 257, 600, 65_537]) {
    it(`rebuilds inclusion proofs from tiles for a tree of ${size}`, async () => {
      const leaves = Array.from({ length: size }, (_, i) => nodeLeafHash(Buffer.from(`leaf ${i}`)));
      const root = rootFromLeafHashes(leaves);
      const tiles = tilesOf(leaves);
      const reader = new TileHashReader(size, async (path) => {
        const t = tiles.get(path);
        if (!t) throw new Error(`no ${path}`);
        return t;
      });
      for (const index of new Set([0, size - 1, Math.floor(size / 2), Math.min(size - 1, 300)])) {
        const proof = await reader.inclusionProof(index);
        expect(Buffer.from(await rootFromInclusionProof(index, size, bytes(leaves[index]!), proof)).equals(root)).toBe(true);
      }
    }, 60_000);
  }

  it('checks a checkpoint signed by the log key and refuses another key', async () => {
    const { signerKey, verifierKey } = generateNoteKey('example.com/log');
    const other = generateNoteKey('example.com/log').verifierKey;
    const salt = createHash('sha256').update('salt').digest();
    const entry = Buffer.from('{"action":"statement.viewed"}');
    const leaf = Buffer.from(await entryLeaf(bytes(salt), bytes(entry)));
    const leaves = [nodeLeafHash(Buffer.from('a')), nodeLeafHash(leaf), nodeLeafHash(Buffer.from('c'))];
    const note = signCheckpoint({ origin: 'example.com/log', size: 3n, root: rootFromLeafHashes(leaves) }, [parseSignerKey(signerKey)]);
    await verifyCheckpointSignature(parseCheckpoint(note), verifierKey);
    await expect(verifyCheckpointSignature(parseCheckpoint(note), other)).rejects.toThrow(/signature/);
    const tiles = tilesOf(leaves);
    const fetchTile = async (path: string) => tiles.get(path)!;
    const ok = await verifyEntry({ index: 1, entryB64: entry.toString('base64'), saltB64: salt.toString('base64'), checkpointNote: note, verifierKey, fetchTile });
    expect(ok.ok).toBe(true);
    const changed = await verifyEntry({ index: 1, entryB64: Buffer.from('{"action":"statement.exported"}').toString('base64'), saltB64: salt.toString('base64'), checkpointNote: note, verifierKey, fetchTile });
    expect(changed.ok).toBe(false);
  });
});
