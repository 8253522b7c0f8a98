/**
 * Spreads {@link walkLeaves} over worker threads, each with its own database connection, so
 * `audit verify` uses every core for the reading and hashing of a large log. Ranges are handed out
 * from a queue — this thread walks too — so a worker that starts late or runs slow takes fewer.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { openStore } from '../../store/database.ts';
import { walkLeaves, type LeafWalk, type LeafWalkRequest } from './leaf-walk.ts';

/** The worker's side: open the store once, walk every range sent, close when told to. */
export async function serveLeafWalks(port: MessagePort, data: { url: string }): Promise<void> {
  const store = await openStore(data.url, { migrate: false });
  port.on('message', async (request: LeafWalkRequest | 'close') => {
    if (request === 'close') {
      await store.close();
      port.close();
      return;
    }
    const walk = await walkLeaves(store.db, request);
    port.postMessage(walk, [walk.leafHashes.buffer as ArrayBuffer, walk.tileRoots.buffer as ArrayBuffer]);
  });
  port.postMessage('ready');
}

/** A worker thread that walks ranges on request; resolves once it is ready. */
function startWorker(url: string): Promise<{ walk(request: LeafWalkRequest): Promise<LeafWalk>; close(): void }> {
  return new Promise((ready, fail) => {
    const worker = new Worker(new URL('./leaf-walk-worker.mjs', import.meta.url), { workerData: { url } });
    let pending: { resolve(walk: LeafWalk): void; reject(error: unknown): void } | null = null;
    const failAll = (error: unknown) => {
      pending?.reject(error);
      pending = null;
      fail(error);
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`verification worker exited with code ${code}`)));
    worker.on('message', (message: LeafWalk | 'ready') => {
      if (message === 'ready') {
        ready({
          walk: (request) => new Promise((resolve, reject) => {
            pending = { resolve, reject };
            worker.postMessage(request);
          }),
          close: () => worker.postMessage('close'),
        });
      } else {
        pending?.resolve(message);
        pending = null;
      }
    });
  });
}

/**
 * Walks the given ranges — here and in `workers` worker threads opened on `url` — and returns the
 * walks in range order. Workers that cannot start (no file database, no tsx) are simply not used.
 * `workersOnly` (for tests) leaves the walking to the workers while they run.
 */
export async function walkLeavesInParallel(
  db: Kysely<Database>,
  requests: readonly LeafWalkRequest[],
  options: { url?: string; workers: number; workersOnly?: boolean; onWalk?: (walk: LeafWalk, inWorker: boolean) => void },
): Promise<LeafWalk[]> {
  const results: LeafWalk[] = new Array(requests.length);
  let next = 0;
  const take = () => (next < requests.length ? next++ : -1);
  const local = async () => {
    for (let i = take(); i >= 0; i = take()) {
      results[i] = await walkLeaves(db, requests[i]!);
      options.onWalk?.(results[i]!, false);
      // SQLite queries complete synchronously, so the walk never leaves the microtask queue: yield,
      // or the workers' messages (ready, results) would wait until this thread had done everything.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const remote = async () => {
    const worker = await startWorker(options.url!).catch(() => null);
    if (!worker) return;
    try {
      for (let i = take(); i >= 0; i = take()) {
        try {
          results[i] = await worker.walk(requests[i]!);
          options.onWalk?.(results[i]!, true);
        } catch {
          results[i] = await walkLeaves(db, requests[i]!); // the worker died: walk its range here
          options.onWalk?.(results[i]!, false);
          return;
        }
      }
    } finally {
      worker.close();
    }
  };
  const workers = options.url ? Array.from({ length: options.workers }, remote) : [];
  await Promise.all([options.workersOnly && workers.length > 0 ? Promise.resolve() : local(), ...workers]);
  await local(); // whatever no worker could take
  return results;
}
