// Fallback entry of the verification worker threads (leaf-walk-worker.ts), used when the bundled
// entry (leaf-walk-bundle.ts) cannot be built. Plain JavaScript so that a worker starts the same way
// under any loader (the CLI's tsx, Vitest, plain node): it loads the TypeScript module through tsx's
// tsImport, then walks each range of leaves it is sent and posts the result.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { serveLeafWalks } = await tsImport('./leaf-walk-serve.ts', import.meta.url);
await serveLeafWalks(parentPort, workerData);
