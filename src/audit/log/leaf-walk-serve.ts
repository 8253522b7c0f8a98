/**
 * A verification worker thread's side of a parallel leaf walk (leaf-walk-worker.ts): open the store,
 * claim ranges from the shared counter until none is left, post each walk as it is done.
 */
import type { MessagePort } from 'node:worker_threads';
import { openStore } from '../../store/database.ts';
import { walkLeaves, type LeafWalk, type LeafWalkRequest } from './leaf-walk.ts';
import { chooseTileHasher, type TileHashing } from './tile-hasher.ts';
import { tileEntriesReader } from '../../store/dialect/log-tile-entries.ts';

export interface LeafWalkAssignment {
  url: string;
  requests: readonly LeafWalkRequest[];
  /** [0]: the index of the next unclaimed request; [1 + i]: who claimed request i (0 = this thread). */
  claims: Int32Array;
  /** This worker's number, 1 or more. */
  id: number;
  /** How the main thread hashes: the same addon (its path is known there, not inside the bundle), or JavaScript. */
  hashing: TileHashing;
}

export type LeafWalkMessage = { index: number; walk: LeafWalk } | 'done';

export async function serveLeafWalks(port: MessagePort, assignment: LeafWalkAssignment): Promise<void> {
  const { requests, claims, id } = assignment;
  const hasher = chooseTileHasher(assignment.hashing);
  const store = await openStore(assignment.url, { migrate: false });
  const tools = { hasher, readTile: tileEntriesReader(store) };
  try {
    for (let index = Atomics.add(claims, 0, 1); index < requests.length; index = Atomics.add(claims, 0, 1)) {
      Atomics.store(claims, 1 + index, id);
      const walk = await walkLeaves(store, requests[index]!, tools);
      port.postMessage({ index, walk } satisfies LeafWalkMessage, [walk.leafHashes.buffer as ArrayBuffer, walk.tileRoots.buffer as ArrayBuffer]);
    }
  } finally {
    await store.close();
  }
  port.postMessage('done' satisfies LeafWalkMessage);
}
