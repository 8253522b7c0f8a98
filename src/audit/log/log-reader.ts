/**
 * Reading the log as a client would, from the stored tiles: the latest published checkpoint,
 * inclusion and consistency proofs (RFC 6962 §2.1.1–2.1.2, built by the pure proof planner from the
 * few stored hashes each proof element needs), and tile and bundle resources by tlog-tiles path.
 * This is also what the witness client uses to prove consistency to a witness.
 */
import {
  HASH_SIZE, hashFromTile, parseCheckpoint, parseNote, planConsistencyProof, planInclusionProof, planTreeHash,
  TILE_WIDTH, tileForStoredHash, toTreeIndex, type Checkpoint, type HashPlan, type NodeId, type TileResource, type TreeIndex,
} from '../tlog/index.ts';
import { FlowguardError } from '../../errors.ts';
import { latestCheckpoint, readBundle, readLogState, readTile, readTiles, type Db } from './log-store.ts';

/** A checkpoint as served: the parsed body and the signed note (with any cosignatures). */
export interface PublishedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: string;
}

export interface LogReader {
  /** The newest checkpoint served at /log/checkpoint, or undefined before the first one. */
  latestCheckpoint(): Promise<PublishedCheckpoint | undefined>;
  /** The integrated tree size (tiles exist up to it; it may be ahead of the published checkpoint). */
  integratedSize(): Promise<bigint>;
  /** PATH(index, D[size]). */
  inclusionProof(index: TreeIndex, size: TreeIndex): Promise<Buffer[]>;
  /** PROOF(from, D[to]); 0 < from ≤ to ≤ integrated size. */
  consistencyProof(from: TreeIndex, to: TreeIndex): Promise<Buffer[]>;
  /** MTH(D[size]). */
  treeHash(size: TreeIndex): Promise<Buffer>;
  /** The bytes of a tile or entry bundle, or undefined if the log does not hold it (yet). */
  readResource(resource: TileResource): Promise<Buffer | undefined>;
}

/** Reads stored hashes (complete subtrees) out of the tiles that hold them. */
export async function readStoredHashes(db: Db, nodes: readonly NodeId[]): Promise<Buffer[]> {
  const located = nodes.map((node) => ({ node, tile: tileForStoredHash(node.level, node.index).tile }));
  const tiles = await readTiles(db, located.map(({ tile }) => ({ level: tile.level, n: Number(tile.n) })));
  return located.map(({ node, tile }) => {
    const stored = tiles.get(`${tile.level}/${Number(tile.n)}`);
    if (!stored) throw new FlowguardError('internal', `tile ${tile.level}/${tile.n} holding stored hash (${node.level}, ${node.index}) is missing`);
    return hashFromTile(stored.data, node.level, node.index);
  });
}

/** The first `width` entries of a bundle's bytes (each a uint16 length and the entry). */
function bundlePrefix(data: Buffer, width: number): Buffer | undefined {
  let offset = 0;
  for (let i = 0; i < width; i++) {
    if (offset + 2 > data.length) return undefined;
    offset += 2 + data.readUInt16BE(offset);
  }
  return offset <= data.length ? data.subarray(0, offset) : undefined;
}

export function createLogReader(db: Db): LogReader {
  const integratedSize = async () => BigInt((await readLogState(db)).size);
  const run = async <T>(plan: HashPlan<T>) => plan.assemble(await readStoredHashes(db, plan.nodes));
  const assertWithin = async (size: bigint) => {
    const integrated = await integratedSize();
    if (size > integrated) throw new FlowguardError('invalid_request', `The log holds ${integrated} entries; there is no tree of size ${size} yet.`);
  };
  return {
    async latestCheckpoint() {
      const row = await latestCheckpoint(db, { published: true });
      if (!row) return undefined;
      const note = row.publishedNote!;
      return { checkpoint: parseCheckpoint(parseNote(note).text), note };
    },
    integratedSize,
    async inclusionProof(index, size) {
      const n = toTreeIndex(size, 'tree size');
      await assertWithin(n);
      return run(planInclusionProof(index, n));
    },
    async consistencyProof(from, to) {
      const n = toTreeIndex(to, 'tree size');
      await assertWithin(n);
      return run(planConsistencyProof(from, n));
    },
    async treeHash(size) {
      const n = toTreeIndex(size, 'tree size');
      await assertWithin(n);
      return run(planTreeHash(n));
    },
    async readResource(resource) {
      if (resource.kind === 'tile') {
        const { level, n, width } = resource.tile;
        const row = await readTile(db, level, Number(n));
        if (!row || row.width < width) return undefined;
        return row.data.subarray(0, width * HASH_SIZE);
      }
      const row = await readBundle(db, Number(resource.n));
      if (!row || row.width < resource.width) return undefined;
      return resource.width === TILE_WIDTH ? row.data : bundlePrefix(row.data, resource.width);
    },
  };
}
