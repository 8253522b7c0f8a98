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
import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import {
  COMMITMENT_PREFIX, HASH_SIZE, isTlogError, openCheckpoint, parseCheckpoint, parseNote, planConsistencyProof, SALT_SIZE,
  TILE_WIDTH, verifyConsistency, type Checkpoint, type NoteVerifier,
} from '../tlog/index.ts';
import { FlowguardError } from '../../errors.ts';
import { latestCheckpoint, readLogState } from './log-store.ts';
import { readStoredHashes } from './log-reader.ts';
import { recordedShredding, type LeafRanges } from './retention.ts';
import { leafHashLatin1, TreeRecomputer } from './tree-recomputer.ts';

export type LogProblemCode =
  | 'no_checkpoint' | 'checkpoint_signature' | 'rollback' | 'state_mismatch'
  | 'entry_altered' | 'entry_missing' | 'leaf_missing' | 'bundle_mismatch' | 'truncated' | 'unsigned_leaves'
  | 'history_rewritten' | 'tile_mismatch' | 'root_mismatch' | 'inconsistent' | 'entry_unlogged';

export interface LogProblem {
  code: LogProblemCode;
  message: string;
  /** The leaf index, for problems with one entry. */
  index?: number;
  /** The audit seq, where known. */
  seq?: number;
}

export interface VerifyReport {
  ok: boolean;
  checkpoint: { origin: string; size: number; root: string } | null;
  trusted: { size: number; root: string } | null;
  checked: { leaves: number; entries: number; shredded: number; tiles: number };
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
}

export const MAX_PROBLEMS = 100;
const PAGE = 8_192;

/** Writes `fg-entry/v1 ` ‖ base64(SHA-256(salt ‖ entry)) into a reused buffer (commitment.ts, without allocations). */
class CommitmentWriter {
  #input = Buffer.alloc(SALT_SIZE + 4096);
  readonly leaf = Buffer.alloc(COMMITMENT_PREFIX.length + 44);

  constructor() {
    this.leaf.write(COMMITMENT_PREFIX, 0, 'ascii');
  }

  write(salt: Uint8Array, entry: Uint8Array): Buffer {
    if (this.#input.length < SALT_SIZE + entry.length) this.#input = Buffer.alloc(2 * (SALT_SIZE + entry.length));
    this.#input.set(salt, 0);
    this.#input.set(entry, SALT_SIZE);
    this.leaf.write(hash('sha256', this.#input.subarray(0, SALT_SIZE + entry.length), 'base64'), COMMITMENT_PREFIX.length, 'ascii');
    return this.leaf;
  }
}

/** Positions of the entries in a bundle: [offset, length] of entry k. */
function bundleOffsets(data: Buffer): Array<[number, number]> | undefined {
  const offsets: Array<[number, number]> = [];
  for (let at = 0; at < data.length; ) {
    if (at + 2 > data.length || offsets.length === TILE_WIDTH) return undefined;
    const length = data.readUInt16BE(at);
    if (at + 2 + length > data.length) return undefined;
    offsets.push([at + 2, length]);
    at += 2 + length;
  }
  return offsets;
}

function covered(ranges: LeafRanges, index: number): boolean {
  return ranges.some(([from, to]) => index >= from && index < to);
}

const b64 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('base64');

/** Verifies the stored log; see the file comment. Throws only for unusable input (keys, trusted checkpoint). */
export async function verifyLog(db: Kysely<Database>, options: VerifyOptions): Promise<VerifyReport> {
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
  const extent = await db.selectFrom('log_leaves').select((eb) => [eb.fn.max('log_index').as('max'), eb.fn.countAll().as('count')]).executeTakeFirstOrThrow();
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

  // 3. Every leaf.
  const size = claimed ? Number(claimed.size) : state.size;
  const total = size;
  const shredRanges = await recordedShredding(db);
  const upperTiles = new Map<string, Buffer>();
  for (const t of await db.selectFrom('log_tiles').select(['level', 'n', 'data']).where('level', '>', 0).execute()) upperTiles.set(`${t.level}/${Number(t.n)}`, Buffer.from(t.data));
  let pageTiles = new Map<number, Buffer>();
  let tilesChecked = 0;
  const compareTile = (level: number, n: number, width: number, computed: string) => {
    tilesChecked++;
    const stored = level === 0 ? pageTiles.get(n) : upperTiles.get(`${level}/${n}`);
    const first = n * TILE_WIDTH ** (level + 1);
    if (!stored || stored.length < width * HASH_SIZE) {
      report({ code: 'tile_mismatch', index: first, message: `tile ${level}/${n} (from leaf ${first}) is missing or shorter than ${width} hashes` });
    } else if (stored.toString('latin1', 0, width * HASH_SIZE) !== computed) {
      report({ code: 'tile_mismatch', index: first, message: `tile ${level}/${n} (from leaf ${first}) does not hold the hashes recomputed from the entries` });
    }
  };
  const tree = new TreeRecomputer((level, n, data) => compareTile(level, n, TILE_WIDTH, data));
  const commitment = new CommitmentWriter();
  let entries = 0;
  let shredded = 0;
  let trustedRootChecked = trusted === undefined || trusted.size === 0n;
  const checkTrustedPrefix = () => {
    if (!trustedRootChecked && BigInt(tree.size) === trusted!.size) {
      trustedRootChecked = true;
      if (tree.root() !== trusted!.root.toString('latin1')) {
        report({ code: 'history_rewritten', message: `the first ${trusted!.size} entries no longer hash to the trusted checkpoint's root: entries before index ${trusted!.size} were changed, removed or reordered and the log rebuilt` });
      }
    }
  };

  const walked = Math.min(size, leafEnd);
  for (let from = 0; from < walked; from += PAGE) {
    const to = Math.min(from + PAGE, walked);
    const rows = await db.selectFrom('log_leaves as l').leftJoin('audit_entries as e', 'e.seq', 'l.seq')
      .select(['l.log_index', 'l.seq', 'l.shredded_at', 'e.entry', 'e.salt'])
      .where('l.log_index', '>=', from).where('l.log_index', '<', to).orderBy('l.log_index').execute();
    const firstTile = Math.floor(from / TILE_WIDTH);
    const lastTile = Math.floor((to - 1) / TILE_WIDTH);
    const bundles = new Map<number, { data: Buffer; offsets: Array<[number, number]> | undefined }>();
    for (const b of await db.selectFrom('log_bundles').select(['n', 'data']).where('n', '>=', firstTile).where('n', '<=', lastTile).execute()) {
      const data = Buffer.from(b.data);
      bundles.set(Number(b.n), { data, offsets: bundleOffsets(data) });
    }
    pageTiles = new Map();
    for (const t of await db.selectFrom('log_tiles').select(['n', 'data']).where('level', '=', 0).where('n', '>=', firstTile).where('n', '<=', lastTile).execute()) {
      pageTiles.set(Number(t.n), Buffer.from(t.data));
    }
    let next = 0;
    const badBundles = new Set<number>();
    for (let index = from; index < to; index++) {
      const row = rows[next]?.log_index !== undefined && Number(rows[next]!.log_index) === index ? rows[next++] : undefined;
      const bundleN = Math.floor(index / TILE_WIDTH);
      const bundle = bundles.get(bundleN);
      const slot = bundle?.offsets?.[index % TILE_WIDTH];
      const storedLeaf = bundle && slot ? bundle.data.subarray(slot[0], slot[0] + slot[1]) : undefined;
      const storedHash = () => pageTiles.get(bundleN)?.toString('latin1', (index % TILE_WIDTH) * HASH_SIZE, (index % TILE_WIDTH + 1) * HASH_SIZE);
      if (!storedLeaf && !badBundles.has(bundleN)) {
        badBundles.add(bundleN);
        report({ code: 'bundle_mismatch', index, message: `entry bundle ${bundleN} is missing or malformed at leaf ${index}` });
      }
      let leafHash: string | undefined;
      if (!row) {
        report({ code: 'leaf_missing', index, message: `leaf ${index} is not mapped to any audit entry: a leaf row was deleted` });
      } else if (row.entry !== null && row.salt !== null) {
        entries++;
        const seq = Number(row.seq);
        if (row.salt.length !== SALT_SIZE) {
          report({ code: 'entry_altered', index, seq, message: `entry ${index} (seq ${seq}) has a ${row.salt.length}-byte salt; salts are ${SALT_SIZE} bytes` });
        } else {
          const computed = commitment.write(row.salt, row.entry);
          if (storedLeaf && !storedLeaf.equals(computed)) {
            const computedHash = leafHashLatin1(computed);
            if (computedHash === storedHash()) {
              report({ code: 'bundle_mismatch', index, seq, message: `entry bundle ${bundleN} holds a different leaf for entry ${index} (seq ${seq}) than its tile and its entry` });
              leafHash = computedHash;
            } else {
              report({ code: 'entry_altered', index, seq, message: `entry ${index} (seq ${seq}) no longer matches the commitment the log holds for it: its bytes or its salt were changed, or it was swapped with another entry` });
            }
          } else {
            leafHash = leafHashLatin1(computed);
          }
        }
      } else {
        const seq = Number(row.seq);
        if (row.shredded_at !== null && covered(shredRanges, index)) {
          shredded++;
        } else {
          report({ code: 'entry_missing', index, seq, message: `entry ${index} (seq ${seq}) was deleted${row.shredded_at === null ? '' : ' and marked shredded'} without a recorded retention run covering it` });
        }
      }
      // Go on with the stored leaf, so one bad entry does not hide the rest behind a root mismatch.
      leafHash ??= storedLeaf ? leafHashLatin1(storedLeaf) : storedHash();
      if (leafHash === undefined) {
        report({ code: 'truncated', index, message: `nothing is left of leaf ${index} (no entry, bundle or tile): the log was truncated` });
        break;
      }
      tree.push(leafHash);
      checkTrustedPrefix();
    }
    options.onProgress?.(to, total);
    if (tree.size < to) break;
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
        const row0 = await db.selectFrom('log_tiles').select('data').where('level', '=', 0).where('n', '=', partial.n).executeTakeFirst();
        pageTiles = new Map(row0 ? [[partial.n, Buffer.from(row0.data)]] : []);
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
  const storedUpTo = await db.selectFrom('audit_entries').select((eb) => eb.fn.countAll().as('n')).where('seq', '<=', state.lastSeq).executeTakeFirstOrThrow();
  if (Number(storedUpTo.n) > entries) {
    const unlogged = await db.selectFrom('audit_entries as e').select('e.seq').where('e.seq', '<=', state.lastSeq)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('log_leaves as l').select('l.seq').whereRef('l.seq', '=', 'e.seq'))))
      .orderBy('e.seq').limit(1).executeTakeFirst();
    if (unlogged) report({ code: 'entry_unlogged', seq: Number(unlogged.seq), message: `audit entry seq ${unlogged.seq} is stored but is not in the log: it was inserted afterwards, or skipped` });
  }

  return {
    ok: problemCount === 0,
    checkpoint: claimed ? { origin: claimed.origin, size: Number(claimed.size), root: claimed.root.toString('base64') } : null,
    trusted: trusted ? { size: Number(trusted.size), root: trusted.root.toString('base64') } : null,
    checked: { leaves: tree.size, entries, shredded, tiles: tilesChecked },
    problems,
    problemCount,
  };
}
