/**
 * Spreads {@link walkLeaves} over worker threads, each with its own database connection, so
 * `audit verify` uses every core for the reading and hashing of a large log. This thread and the
 * workers claim ranges from one shared counter (Atomics), so nobody waits for another to hand out
 * work, and a worker that starts late or runs slow simply claims fewer.
 */
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { bundleLeafWalkWorker } from './leaf-walk-bundle.ts';
import type { LeafWalkAssignment, LeafWalkMessage } from './leaf-walk-serve.ts';
import { walkLeaves, type LeafWalk, type LeafWalkRequest, type WalkedStore } from './leaf-walk.ts';
import { chooseTileHasher, type TileHashing } from './tile-hasher.ts';
import { tileEntriesReader } from '../../store/dialect/log-tile-entries.ts';

/** Runs one worker on `code`; resolves when it has posted 'done' or has failed (never rejects). */
function runWorker(code: URL, assignment: LeafWalkAssignment, onWalk: (index: number, walk: LeafWalk) => void): Promise<void> {
  return new Promise((finished) => {
    const worker = new Worker(code, { workerData: assignment });
    worker.on('message', (message: LeafWalkMessage) => {
      if (message === 'done') finished();
      else onWalk(message.index, message.walk);
    });
    // Whatever it claimed and did not post is walked again by this thread.
    worker.on('error', () => finished());
    worker.on('exit', () => finished());
  });
}

/**
 * Walks the given ranges — here and in `workers` worker threads opened on `url` — and returns the
 * walks in range order. Workers that cannot start (no file database, no esbuild and no tsx) are
 * simply not used. `workersOnly` (for tests) leaves the walking to the workers while they run.
 */
export async function walkLeavesInParallel(
  store: WalkedStore,
  requests: readonly LeafWalkRequest[],
  options: { url?: string; workers: number; hashing: TileHashing; workersOnly?: boolean; onWalk?: (walk: LeafWalk, inWorker: boolean) => void },
): Promise<LeafWalk[]> {
  const tools = { hasher: chooseTileHasher(options.hashing), readTile: tileEntriesReader(store) };
  const results: LeafWalk[] = new Array(requests.length);
  const claims = new Int32Array(new SharedArrayBuffer(4 * (1 + requests.length)));
  const record = (index: number, walk: LeafWalk, inWorker: boolean) => {
    results[index] = walk;
    options.onWalk?.(walk, inWorker);
  };
  const local = async () => {
    for (let index = Atomics.add(claims, 0, 1); index < requests.length; index = Atomics.add(claims, 0, 1)) {
      record(index, await walkLeaves(store, requests[index]!, tools), false);
      // SQLite queries complete synchronously: yield, or the workers' results and the bundle built
      // for them would wait until this thread had walked everything.
      await yieldToEvents();
    }
  };

  const workers: Array<Promise<void>> = [];
  if (options.url && options.workers > 0) {
    // Bundled for a fast start (leaf-walk-bundle.ts) while this thread walks; if esbuild cannot run,
    // the workers load the TypeScript through tsx instead (leaf-walk-worker.mjs), only more slowly.
    const bundle = bundleLeafWalkWorker().catch(() => null);
    const started = bundle.then(async (bundled) => {
      const code = bundled?.url ?? new URL('./leaf-walk-worker.mjs', import.meta.url);
      await Promise.all(Array.from({ length: options.workers }, (_, k) =>
        runWorker(code, { url: options.url!, requests, claims, id: k + 1, hashing: options.hashing }, (index, walk) => record(index, walk, true))));
      bundled?.remove();
    });
    workers.push(started);
  }
  await Promise.all([options.workersOnly && workers.length > 0 ? Promise.resolve() : local(), ...workers]);
  // Ranges no worker finished (it failed, or none could start) are walked here.
  for (let index = 0; index < requests.length; index++) {
    if (!results[index]) record(index, await walkLeaves(store, requests[index]!, tools), false);
  }
  return results;
}
