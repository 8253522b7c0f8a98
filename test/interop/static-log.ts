/**
 * A log served the C2SP tlog-tiles way from memory, built only with the pure library: the stand-in
 * for a Flowguard server when the real one is not wanted. `publish()` signs a checkpoint of the
 * current entries; tiles and bundles are served for the published size (full tiles, and the partial
 * tiles of that size).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  encodeEntryBundle, nodeHash, parseTilePath, rootFromLeafHashes, signCheckpoint, TILE_WIDTH, tileNodes,
} from '../../src/audit/tlog/index.ts';
import type { TestLog } from '../../src/audit/witness/fixtures/test-log.ts';

export interface StaticLogServer {
  /** The log prefix, e.g. http://127.0.0.1:1234/log */
  readonly url: string;
  /** Signs and serves a checkpoint of all entries appended so far; returns the note. */
  publish(): string;
  close(): Promise<void>;
}

/** Stored hashes of complete subtrees: levels[L][i] = MTH of leaves [i·2^L, (i+1)·2^L). */
function storedHashes(leafHashes: readonly Buffer[]): Buffer[][] {
  const levels: Buffer[][] = [[...leafHashes]];
  for (let level = 0; levels[level]!.length > 1; level++) {
    const below = levels[level]!;
    const above: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) above.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(above);
  }
  return levels;
}

export async function serveStaticLog(log: TestLog): Promise<StaticLogServer> {
  let size = 0;
  let checkpoint = '';
  let levels: Buffer[][] = [];

  const answer = (path: string): Buffer | string | undefined => {
    if (path === 'checkpoint') return checkpoint || undefined;
    let resource;
    try {
      resource = parseTilePath(path);
    } catch {
      return undefined;
    }
    if (resource.kind === 'entries') {
      const start = Number(resource.n) * TILE_WIDTH;
      if (start + resource.width > size || (resource.width < TILE_WIDTH && start + resource.width !== size)) return undefined;
      return encodeEntryBundle(log.entries.slice(start, start + resource.width));
    }
    const nodes = tileNodes(resource.tile);
    const hashes = nodes.map((node) => levels[node.level]?.[Number(node.index)]);
    if (hashes.some((h) => h === undefined)) return undefined;
    const count = levels[resource.tile.level * 8]?.length ?? 0;
    if (resource.tile.width < TILE_WIDTH && Number(nodes.at(-1)!.index) + 1 !== count) return undefined;
    return Buffer.concat(hashes as Buffer[]);
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/log\//, '');
    const body = req.method === 'GET' && req.url?.startsWith('/log/') ? answer(path) : undefined;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': path === 'checkpoint' ? 'text/plain; charset=utf-8' : 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/log`,
    publish() {
      size = log.entries.length;
      levels = storedHashes(log.leafHashes.slice(0, size));
      checkpoint = signCheckpoint({ origin: log.origin, size: BigInt(size), root: rootFromLeafHashes(log.leafHashes) }, [log.signer]);
      return checkpoint;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
