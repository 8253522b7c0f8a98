/**
 * `flowguard audit verify`: trust nothing the bank stored, recompute everything from the entries.
 *
 * 1. Open the trusted checkpoint (an auditor's or a witness's copy), if given, with the log's keys.
 * 2. Open the newest stored checkpoint with the log's keys: a signature by another key is tampering;
 *    a checkpoint smaller than the trusted one is a rollback.
 * 3. For every leaf in index order: recompute the commitment from the entry and its salt and compare
 *    it with the entry bundle; an entry deleted under retention must be covered by a recorded
 *    `log.entries_shredded`, and then its stored leaf is used. Rebuild the tree from the leaves,
 *    compare every tile with the stored one, and the root of the first `trusted.size` leaves with the
 *    trusted root (a rewritten history, even re-signed with the bank's own key, fails here).
 * 4. The recomputed root must be the checkpoint's; the stored tiles must prove the checkpoint
 *    consistent with the trusted one (RFC 9162 §2.1.4.2); no stored entry may be missing from the log.
 *
 * Faults are isolated: when an entry no longer matches its commitment, the stored leaf is used to go
 * on, so the report names that entry rather than a root mismatch. Problems are listed in the order
 * above, entries by index; the first one is what the CLI prints.
 */
import {
  HASH_SIZE, isTlogError, openCheckpoint, parseCheckpoint, parseNote, planConsistencyProof, TILE_WIDTH, verifyConsistency,
  type Checkpoint, type NoteVerifier,
} from '../tlog/index.ts';
import { FlowguardError } from '../../errors.ts';
import { latestCheckpoint, readLogState } from './log-store.ts';
import { readStoredHashes } from './log-reader.ts';
import { recordedShredding } from './retention.ts';
import { TreeRecomputer } from './tree-recomputer.ts';
import { walkLeavesInParallel } from './leaf-walk-worker.ts';
import type { WalkedStore } from './leaf-walk.ts';
import { defaultTileHashing, type TileHashing } from './tile-hasher.ts';
import type { LogProblem } from './verify-problems.ts';

export type { LogProblem, LogProblemCode } from './verify-problems.ts';

export interface VerifyReport {
  ok: boolean;
  checkpoint: { origin: string; size: number; root: string } | null;
  trusted: { size: number; root: string } | null;
  /**
   * `workerRanges`: ranges of leaves walked in worker threads (0 when walked in this thread only);
   * `hashing`: whether full tiles were hashed by the native addon or in JavaScript (same results;
   * a worker that cannot load the addon fails, and this thread walks its ranges).
   */
  checked: { leaves: number; entries: number; shredded: number; tiles: number; workerRanges: number; hashing: TileHashing['kind'] };
  /** At most {@link MAX_PROBLEMS}, in the order described above. */
  problems: LogProblem[];
  problemCount: number;
}

export interface VerifyOptions {
  /** The log's verifier keys (and witnesses' keys, if any): signatures by other keys are unknown. */
  verifiers: readonly NoteVerifier[];
  /** The expected origin. */
  origin?: string;
  /** A signed checkpoint saved earlier (e.g. cosigned by a witness), to check for rollback and rewriting. */
  trusted?: string;
  onProgress?: (done: number, total: number) => void;
  /**
   * Walk the leaves in this many worker threads too, each with its own connection to `url` (a file
   * or server database), when the log has at least `minLeaves` (default 100,000) leaves.
   */
  parallel?: { url: string; workers: number; minLeaves?: number; workersOnly?: boolean };
  /** Hash in JavaScript even where the native tile hasher was built (to compare the two). */
  javascriptHashing?: boolean;
}

export const MAX_PROBLEMS = 100;
/** Below this many leaves, worker threads cost more to start than they save. */
const PARALLEL_MIN = 100_000;

const b64 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('base64');

/** Verifies the stored log; see the file comment. Throws only for unusable input (keys, trusted checkpoint). */
export async function verifyLog(store: WalkedStore, options: VerifyOptions): Promise<VerifyReport> {
  const { db } = store;
  const problems: LogProblem[] = [];
  let problemCount = 0;
  const report = (problem: LogProblem) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const origin = options.origin === undefined ? {} : { origin: options.origin };

  // 1. The trusted checkpoint is input: if it does not open, the command was misused.
  let trusted: Checkpoint | undefined;
  if (options.trusted !== undefined) {
    try {
      trusted = openCheckpoint(options.trusted, options.verifiers, origin).checkpoint;
    } catch (error) {
      throw new FlowguardError('invalid_request', `The trusted checkpoint cannot be opened with the configured keys: ${isTlogError(error) ? error.message : String(error)}.`, {}, { cause: error });
    }
  }

  // 2. The newest signed checkpoint.
  const row = await latestCheckpoint(db);
  const state = await readLogState(db);
  // Two queries: SQLite answers each from an index alone, but not the two in one (a scan, 30 ms a million leaves).
  const extent = {
    ...await db.selectFrom('log_leaves').select((eb) => eb.fn.max('log_index').as('max')).executeTakeFirstOrThrow(),
    ...await db.selectFrom('log_leaves').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow(),
  };
  const leafEnd = extent.max === null ? 0 : Number(extent.max) + 1;
  let claimed: Checkpoint | undefined;
  if (!row) {
    // An empty log that has not signed its first checkpoint yet is fine; leaves without one are not.
    if (leafEnd > 0 || state.size > 0) report({ code: 'no_checkpoint', message: `the log holds ${leafEnd} leaves but no signed checkpoint` });
    if (trusted && trusted.size > 0n) report({ code: 'rollback', message: `the log has no checkpoint but the trusted checkpoint already had ${trusted.size} entries: the log was removed or rolled back` });
  } else {
    try {
      claimed = openCheckpoint(row.note, options.verifiers, origin).checkpoint;
    } catch (error) {
      report({ code: 'checkpoint_signature', message: `the latest checkpoint is not signed by the log's key: ${isTlogError(error) ? error.message : String(error)}` });
      try {
        claimed = parseCheckpoint(parseNote(row.note).text);
      } catch {
        claimed = undefined;
      }
    }
    if (row.publishedNote !== null && row.publishedNote !== row.note) {
      try {
        const published = openCheckpoint(row.publishedNote, options.verifiers, origin).checkpoint;
        if (claimed && (published.size !== claimed.size || !published.root.equals(claimed.root))) throw new Error('it names another tree than the signed checkpoint');
      } catch (error) {
        report({ code: 'checkpoint_signature', message: `the published (cosigned) checkpoint does not verify: ${(error as Error).message}` });
      }
    }
    if (claimed && (row.size !== Number(claimed.size) || !row.root.equals(claimed.root))) {
      report({ code: 'state_mismatch', message: `the checkpoint row's size/root columns differ from its signed note (size ${row.size} vs ${claimed.size})` });
    }
  }
  if (trusted && claimed && trusted.size > claimed.size) {
    report({ code: 'rollback', message: `the log's latest checkpoint has ${claimed.size} entries but the trusted checkpoint already had ${trusted.size}: the log was rolled back or truncated` });
  }
  if (claimed && (state.size !== Number(claimed.size) || !state.root.equals(claimed.root))) {
    report({ code: 'state_mismatch', message: `the integrator's state (size ${state.size}) does not match the latest checkpoint (size ${claimed.size})` });
  }

  // 3. Every leaf, in ranges (in worker threads for a large log), then the tree above the tiles.
  const size = claimed ? Number(claimed.size) : state.size;
  const walked = Math.min(size, leafEnd);
  const shredRanges = await recordedShredding(db);
  const upperTiles = new Map<string, Buffer>();
  for (const t of await db.selectFrom('log_tiles').select(['level', 'n', 'data']).where('level', '>', 0).execute()) upperTiles.set(`${t.level}/${Number(t.n)}`, t.data);
  let lastTile0: Buffer | undefined;
  let tilesChecked = 0;
  const compareTile = (level: number, n: number, width: number, computed: string) => {
    tilesChecked++;
    const stored = level === 0 ? lastTile0 : upperTiles.get(`${level}/${n}`);
    const first = n * TILE_WIDTH ** (level + 1);
    if (!stored || stored.length < width * HASH_SIZE) {
      report({ code: 'tile_mismatch', index: first, message: `tile ${level}/${n} (from leaf ${first}) is missing or shorter than ${width} hashes` });
    } else if (stored.toString('latin1', 0, width * HASH_SIZE) !== computed) {
      report({ code: 'tile_mismatch', index: first, message: `tile ${level}/${n} (from leaf ${first}) does not hold the hashes recomputed from the entries` });
    }
  };
  // Full level-0 tiles were checked by the leaf walk; the tree reports the levels above.
  const tree = new TreeRecomputer((level, n, data) => { if (level > 0) compareTile(level, n, TILE_WIDTH, data); });
  let trustedRootChecked = trusted === undefined || trusted.size === 0n;
  const checkTrustedPrefix = () => {
    if (!trustedRootChecked && BigInt(tree.size) === trusted!.size) {
      trustedRootChecked = true;
      if (tree.root() !== trusted!.root.toString('latin1')) {
        report({ code: 'history_rewritten', message: `the first ${trusted!.size} entries no longer hash to the trusted checkpoint's root: entries before index ${trusted!.size} were changed, removed or reordered and the log rebuilt` });
      }
    }
  };

  const workers = options.parallel && walked >= (options.parallel.minLeaves ?? PARALLEL_MIN) ? options.parallel.workers : 0;
  // Ranges of whole tiles, small enough to balance this thread and the workers.
  const share = Math.max(TILE_WIDTH, Math.ceil(walked / (32 * (workers + 1)) / TILE_WIDTH) * TILE_WIDTH);
  const ranges: Array<[number, number]> = [];
  for (let from = 0; from < walked; from += share) ranges.push([from, Math.min(from + share, walked)]);
  let progressed = 0;
  let workerRanges = 0;
  const hashing: TileHashing = options.javascriptHashing ? { kind: 'javascript' } : defaultTileHashing();
  const walks = await walkLeavesInParallel(store, ranges.map(([from, to]) => ({ from, to, shredded: shredRanges, maxProblems: MAX_PROBLEMS })), {
    ...(options.parallel ? { url: options.parallel.url, workersOnly: options.parallel.workersOnly ?? false } : {}),
    workers,
    hashing,
    onWalk: (walk, inWorker) => {
      if (inWorker) workerRanges++;
      progressed += walk.end - walk.from;
      options.onProgress?.(progressed, size);
    },
  });

  let entries = 0;
  let shredded = 0;
  let stopped = false;
  for (const walk of walks) {
    walk.problems.forEach(report);
    problemCount += walk.problemCount - walk.problems.length;
    entries += walk.entries;
    shredded += walk.shredded;
    tilesChecked += walk.tiles;
    if (stopped) continue;
    const leaves = Buffer.from(walk.leafHashes.buffer, walk.leafHashes.byteOffset, walk.leafHashes.byteLength);
    const roots = Buffer.from(walk.tileRoots.buffer, walk.tileRoots.byteOffset, walk.tileRoots.byteLength);
    for (let first = walk.from, k = 0; first < walk.end; first += TILE_WIDTH, k++) {
      const last = Math.min(first + TILE_WIDTH, walk.end);
      const holdsTrustedSize = trusted !== undefined && BigInt(first) < trusted.size && trusted.size < BigInt(last);
      if (last - first === TILE_WIDTH && !holdsTrustedSize) {
        tree.pushTileRoot(roots.toString('latin1', k * HASH_SIZE, (k + 1) * HASH_SIZE));
        checkTrustedPrefix();
      } else {
        for (let i = first; i < last; i++) {
          tree.push(leaves.toString('latin1', (i - walk.from) * HASH_SIZE, (i - walk.from + 1) * HASH_SIZE));
          checkTrustedPrefix();
        }
      }
    }
    if (walk.end < (ranges[walks.indexOf(walk)]?.[1] ?? walk.end)) stopped = true;
  }

  if (leafEnd < size && tree.size === leafEnd) {
    report({ code: 'truncated', index: leafEnd, message: `the checkpoint covers ${size} entries but the log holds only ${leafEnd}: entries from index ${leafEnd} were removed` });
  }
  if (leafEnd > size) {
    report({ code: 'unsigned_leaves', index: size, message: `the log holds ${leafEnd} leaves but its latest checkpoint covers only ${size}: leaves from index ${size} were never signed` });
  }
  if (Number(extent.count) !== leafEnd && !problems.some((p) => p.code === 'leaf_missing')) {
    report({ code: 'leaf_missing', message: `leaf indexes are not contiguous: ${extent.count} leaves up to index ${leafEnd - 1}` });
  }

  // 4. What the entries add up to.
  if (tree.size === size) {
    for (const partial of tree.partialTiles()) {
      if (partial.level === 0) {
        lastTile0 = (await db.selectFrom('log_tiles').select('data').where('level', '=', 0).where('n', '=', partial.n).executeTakeFirst())?.data;
      }
      compareTile(partial.level, partial.n, partial.width, partial.data);
    }
    if (claimed && tree.root() !== claimed.root.toString('latin1')) {
      report({ code: 'root_mismatch', message: `the entries hash to root ${b64(tree.root())}, but the latest checkpoint says ${claimed.root.toString('base64')}` });
    }
  }
  if (trusted && claimed && trusted.size > 0n && trusted.size <= claimed.size) {
    try {
      const plan = planConsistencyProof(trusted.size, claimed.size);
      verifyConsistency(trusted.size, claimed.size, plan.assemble(await readStoredHashes(db, plan.nodes)), trusted.root, claimed.root);
    } catch (error) {
      report({ code: 'inconsistent', message: `the stored tree does not prove the latest checkpoint consistent with the trusted one (RFC 9162 §2.1.4.2): ${(error as Error).message}` });
    }
  }
  // All entries less those past the fence: a count with no condition can use the smallest index,
  // where `seq <= x` would read every row of the table.
  const stored = await db.selectFrom('audit_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const storedAfter = await db.selectFrom('audit_entries').select((eb) => eb.fn.countAll().as('n')).where('seq', '>', state.lastSeq).executeTakeFirstOrThrow();
  if (Number(stored.n) - Number(storedAfter.n) > entries) {
    const unlogged = await db.selectFrom('audit_entries as e').select('e.seq').where('e.seq', '<=', state.lastSeq)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('log_leaves as l').select('l.seq').whereRef('l.seq', '=', 'e.seq'))))
      .orderBy('e.seq').limit(1).executeTakeFirst();
    if (unlogged) report({ code: 'entry_unlogged', seq: Number(unlogged.seq), message: `audit entry seq ${unlogged.seq} is stored but is not in the log: it was inserted afterwards, or skipped` });
  }

  return {
    ok: problemCount === 0,
    checkpoint: claimed ? { origin: claimed.origin, size: Number(claimed.size), root: claimed.root.toString('base64') } : null,
    trusted: trusted ? { size: Number(trusted.size), root: trusted.root.toString('base64') } : null,
    checked: { leaves: tree.size, entries, shredded, tiles: tilesChecked, workerRanges, hashing: hashing.kind },
    problems,
    problemCount,
  };
}
