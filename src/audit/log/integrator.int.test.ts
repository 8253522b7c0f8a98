import { afterEach, describe, expect, it } from 'vitest';
import { engines } from '../../../test/engines.ts';
import { openStore, type Store } from '../../store/database.ts';
import {
  decodeEntryBundle, entryBundlePath, entryCommitment, leafHash, openCheckpoint, parseTilePath, parseVerifierKey,
  rootFromLeafHashes, tileHashReader, tilesForSize, treeHash, verifyConsistency, verifyInclusion,
} from '../tlog/index.ts';
import { createLogReader } from './log-reader.ts';
import { appendSamples, testIntegrator, testSigner } from './test-support/log-fixture.ts';

describe.each(engines)('integrator on $name', (engine) => {
  let store: Store;
  afterEach(async () => store?.close());

  it('signs an empty tree, then integrates entries in seq order into tiles and bundles that rebuild the root', async () => {
    store = await openStore(await engine.freshUrl());
    const signer = testSigner();
    const verifier = parseVerifierKey(signer.verifierKey);
    const integrator = testIntegrator(store, signer, { maxBatch: 300 });
    const reader = createLogReader(store.db);

    expect(await integrator.step()).toMatchObject({ status: 'integrated', size: 0 });
    const empty = await reader.latestCheckpoint();
    expect(openCheckpoint(empty!.note, [verifier]).checkpoint.size).toBe(0n);
    expect(await integrator.step()).toMatchObject({ status: 'idle', size: 0 });

    const sizes = [1, 2, 255, 1, 300, 1];
    const seqs: number[] = [];
    const trees: Array<{ size: number; root: Buffer }> = [];
    for (const count of sizes) {
      seqs.push(...(await appendSamples(store, count, seqs.length)));
      const r = await integrator.drain();
      expect(r.size).toBe(seqs.length);
      const cp = openCheckpoint((await reader.latestCheckpoint())!.note, [verifier]).checkpoint;
      trees.push({ size: Number(cp.size), root: cp.root });
    }

    // Leaves are the commitments of the entries in seq order.
    const rows = await store.db.selectFrom('audit_entries').select(['seq', 'entry', 'salt']).orderBy('seq').execute();
    const leaves = rows.map((r) => entryCommitment(r.salt, r.entry));
    const hashes = leaves.map(leafHash);
    const final = trees[trees.length - 1]!;
    expect(final.root.equals(rootFromLeafHashes(hashes))).toBe(true);
    const mapping = await store.db.selectFrom('log_leaves').select(['log_index', 'seq']).orderBy('log_index').execute();
    expect(mapping.map((m) => Number(m.seq))).toEqual(rows.map((r) => Number(r.seq)));

    // Every entry's inclusion proof verifies against the checkpoint.
    for (let i = 0; i < leaves.length; i++) {
      verifyInclusion(hashes[i]!, i, final.size, await reader.inclusionProof(i, final.size), final.root);
    }
    // Every older checkpoint is consistent with every newer one, and inclusion holds at old sizes.
    for (const [a, older] of trees.entries()) {
      for (const newer of trees.slice(a + 1)) {
        verifyConsistency(older.size, newer.size, await reader.consistencyProof(older.size, newer.size), older.root, newer.root);
      }
      verifyInclusion(hashes[older.size - 1]!, older.size - 1, older.size, await reader.inclusionProof(older.size - 1, older.size), older.root);
    }

    // The tiles of every checkpointed size exist and rebuild its root; bundles hold the leaves.
    for (const tree of trees) {
      const tiles = new Map<string, Buffer>();
      for (const ref of tilesForSize(tree.size)) {
        const data = await reader.readResource({ kind: 'tile', tile: ref });
        expect(data, `tile ${ref.level}/${ref.n}.p/${ref.width}`).toBeDefined();
        tiles.set(`${ref.level}/${ref.n}`, data!);
        if (ref.level === 0) {
          const bundle = await reader.readResource(parseTilePath(entryBundlePath(ref.n, ref.width)));
          const entries = decodeEntryBundle(bundle!, ref.width);
          entries.forEach((e, k) => expect(e.equals(leaves[Number(ref.n) * 256 + k]!)).toBe(true));
        }
      }
      const read = tileHashReader((level, n) => tiles.get(`${level}/${n}`)!);
      expect(treeHash(tree.size, read).equals(tree.root)).toBe(true);
    }
  });
});
