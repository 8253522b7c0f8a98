import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { engines } from '../../../test/engines.ts';
import { openStore, type Store } from '../../store/database.ts';
import { bundleLeafWalkWorker } from './leaf-walk-bundle.ts';
import type { LeafWalkMessage } from './leaf-walk-serve.ts';
import { tileEntriesReader, type TileEntries } from '../../store/dialect/log-tile-entries.ts';
import { walkLeaves, type LeafWalk, type LeafWalkRequest } from './leaf-walk.ts';
import { chooseTileHasher, defaultTileHashing, javascriptTileHasher } from './tile-hasher.ts';

/** As `audit verify` hashes here: natively where the addon is built. */
const tools = () => ({ hasher: chooseTileHasher(defaultTileHashing()) });
import { appendSamplesAtOnce, testIntegrator, testSigner } from './test-support/log-fixture.ts';

const signer = testSigner();

describe.each(engines)('the leaf walk of audit verify on $name', (engine) => {
  let url: string;
  let store: Store;
  const request = (from: number, to: number): LeafWalkRequest => ({ from, to, shredded: [], maxProblems: 10 });

  beforeEach(async () => {
    url = await engine.freshUrl();
    store = await openStore(url);
    await appendSamplesAtOnce(store, 700);
    await testIntegrator(store, signer, { maxBatch: 300 }).drain();
  });
  afterEach(async () => store.close());

  it('checks full tiles with one query each and re-reads row by row only the tile that differs', async () => {
    const clean = await walkLeaves(store, request(0, 700), tools());
    expect(clean).toMatchObject({ problemCount: 0, entries: 700, tiles: 2, rowByRow: 1 }); // the partial tile 2
    const seq = Number((await store.db.selectFrom('log_leaves').select('seq').where('log_index', '=', 300).executeTakeFirstOrThrow()).seq);
    const row = await store.db.selectFrom('audit_entries').select('entry').where('seq', '=', seq).executeTakeFirstOrThrow();
    const entry = Buffer.from(row.entry);
    entry[10]! ^= 0x20;
    await store.db.updateTable('audit_entries').set({ entry }).where('seq', '=', seq).execute();
    const tampered = await walkLeaves(store, request(0, 700), tools());
    expect(tampered.rowByRow).toBe(2);
    expect(tampered.problems.map((p) => [p.code, p.index, p.seq])).toEqual([['entry_altered', 300, seq]]);
    // The stored leaf stands in for the altered entry, so every leaf hash and tile root is as before.
    expect(Buffer.from(tampered.leafHashes).equals(Buffer.from(clean.leafHashes))).toBe(true);
    expect(Buffer.from(tampered.tileRoots).equals(Buffer.from(clean.tileRoots))).toBe(true);
  });

  it('runs in a worker thread from one bundled JavaScript file, hashing as this thread does, with the same results as the JavaScript hasher here', async () => {
    const bundle = await bundleLeafWalkWorker();
    const file = fileURLToPath(bundle.url);
    try {
      expect(readFileSync(file, 'utf8')).not.toMatch(/from ["']\.\.?\//); // no relative import left: one file
      const requests = [request(0, 256), request(256, 512), request(512, 700)];
      const claims = new Int32Array(new SharedArrayBuffer(4 * (1 + requests.length)));
      const walks: LeafWalk[] = [];
      await new Promise<void>((done, fail) => {
        const worker = new Worker(bundle.url, { workerData: { url, requests, claims, id: 1, hashing: defaultTileHashing() } });
        worker.on('message', (message: LeafWalkMessage) => (message === 'done' ? done() : (walks[message.index] = message.walk)));
        worker.on('error', fail);
      });
      expect(Array.from(claims)).toEqual([4, 1, 1, 1]); // it claimed every range, then found none left
      for (const [i, r] of requests.entries()) {
        const here = await walkLeaves(store, r, { hasher: { kind: 'javascript', hashTile: javascriptTileHasher } });
        // The worker hashed as this thread would (natively, where the addon is built); the results are the JavaScript hasher's.
        expect(walks[i]!.hashing).toBe(defaultTileHashing().kind);
        expect({ ...walks[i]!, hashing: 'javascript', leafHashes: Buffer.from(walks[i]!.leafHashes), tileRoots: Buffer.from(walks[i]!.tileRoots) })
          .toEqual({ ...here, leafHashes: Buffer.from(here.leafHashes), tileRoots: Buffer.from(here.tileRoots) });
      }
    } finally {
      bundle.remove();
    }
    expect(existsSync(file)).toBe(false);
  }, 60_000);
});

describe('the bundled verification worker', () => {
  it('removes bundles that killed runs left behind more than a day ago, and only those', async () => {
    const cache = dirname(dirname(fileURLToPath((await bundleLeafWalkWorker().then((b) => { b.remove(); return b; })).url)));
    const old = mkdtempSync(join(cache, 'verify-'));
    const recent = mkdtempSync(join(cache, 'verify-'));
    const dayAndMinuteAgo = new Date(Date.now() - 86_460_000);
    utimesSync(old, dayAndMinuteAgo, dayAndMinuteAgo);
    const bundle = await bundleLeafWalkWorker();
    bundle.remove();
    expect([existsSync(old), existsSync(recent)]).toEqual([false, true]);
    rmSync(recent, { recursive: true });
  }, 60_000);
});

describe('reading tiles ahead', () => {
  it('keeps tile reads in flight ahead of the check, and a read that fails fails the walk with its error', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await appendSamplesAtOnce(store, 6 * 256);
      await testIntegrator(store, signer).drain();
      const started: number[] = [];
      const readTile = tileEntriesReader(store);
      const walk = await walkLeaves(store, { from: 0, to: 6 * 256, shredded: [], maxProblems: 10 }, {
        ...tools(),
        readTile: async (from, to) => {
          started.push(from / 256);
          return readTile(from, to);
        },
      });
      expect(walk.problems).toEqual([]);
      expect(started).toEqual([0, 1, 2, 3, 4, 5]); // each tile read once, in order
      // The connection is lost from tile 1 on: the walk fails with tile 1's error, and the reads of
      // tiles 2 and 3, started ahead and never reached, are not left unhandled (Vitest fails a run on an
      // unhandled rejection).
      const failing = walkLeaves(store, { from: 0, to: 6 * 256, shredded: [], maxProblems: 10 }, {
        ...tools(),
        readTile: async (from, to) => {
          if (from >= 256) throw new Error(`connection lost reading tile ${from / 256}`);
          return readTile(from, to);
        },
      });
      await expect(failing).rejects.toThrow('connection lost reading tile 1');
    } finally {
      await store.close();
    }
  });
});

describe('the one-query tile check', () => {
  it('does not trust the order rows come in: leaves whose entries were swapped are named even if rows came in entry order', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await appendSamplesAtOnce(store, 256);
      await testIntegrator(store, signer).drain();
      // Swap which entries leaves 5 and 9 point to.
      const seqOf = async (i: number) => Number((await store.db.selectFrom('log_leaves').select('seq').where('log_index', '=', i).executeTakeFirstOrThrow()).seq);
      const [a, b] = [await seqOf(5), await seqOf(9)];
      await store.db.updateTable('log_leaves').set({ seq: -1 }).where('log_index', '=', 5).execute();
      await store.db.updateTable('log_leaves').set({ seq: a }).where('log_index', '=', 9).execute();
      await store.db.updateTable('log_leaves').set({ seq: b }).where('log_index', '=', 5).execute();
      // A plan that reads the tile's rows in entry (seq) order instead of leaf order: concatenated, the
      // entries then match the bundle exactly; only the leaf indexes in the rows tell.
      const inEntryOrder = store.sqlite!.prepare<[number, number], TileEntries>(`select count(*) as leaves,
          group_concat(idx || ':' || len, ',') as leaves_read, cast(group_concat(salted, x'') as blob) as salted
        from (select l.log_index as idx, coalesce(length(e.salt) + length(e.entry), -1) as len, cast(e.salt || e.entry as blob) as salted
          from log_leaves l left join audit_entries e on e.seq = l.seq where l.log_index >= ? and l.log_index < ? order by l.seq)`);
      const walk = await walkLeaves(store, { from: 0, to: 256, shredded: [], maxProblems: 10 }, { ...tools(), readTile: async (from, to) => inEntryOrder.get(from, to) });
      expect(walk.rowByRow).toBe(1);
      expect(walk.problems.map((p) => [p.code, p.index])).toEqual([['entry_altered', 5], ['entry_altered', 9]]);
    } finally {
      await store.close();
    }
  });
});
