/**
 * What `audit verify` can find wrong with a log: a closed set of codes, each meaning one kind of
 * tampering or damage (README.md §Verification lists them). They are findings, reported together,
 * not errors thrown: none is an HTTP answer (status null). Codes, once published, keep their meaning.
 */
import type { ErrorTable } from '../../core/errors.ts';

export const LOG_PROBLEMS = {
  no_checkpoint: { status: null, title: 'No checkpoint', description: 'The log has no signed checkpoint to verify against' },
  checkpoint_signature: { status: null, title: 'Checkpoint not signed by the log', description: 'The latest checkpoint does not carry a valid signature of the log\'s key' },
  rollback: { status: null, title: 'Log rolled back', description: 'The log is smaller than the trusted checkpoint' },
  state_mismatch: { status: null, title: 'Integrator state mismatch', description: 'The integrator\'s state disagrees with the checkpoint' },
  entry_altered: { status: null, title: 'Entry altered', description: 'Entry bytes or salt changed, or entries swapped (named by index and seq)' },
  entry_missing: { status: null, title: 'Entry missing', description: 'An entry was deleted without a recorded retention run covering it' },
  leaf_missing: { status: null, title: 'Leaf missing', description: 'Leaf rows were removed from the log' },
  bundle_mismatch: { status: null, title: 'Entry bundle mismatch', description: 'A public entry bundle does not match the entries' },
  truncated: { status: null, title: 'Log truncated', description: 'The log was cut short below the checkpoint size' },
  unsigned_leaves: { status: null, title: 'Leaves beyond the checkpoint', description: 'The log holds leaves that no signed checkpoint covers' },
  history_rewritten: { status: null, title: 'History rewritten', description: 'The tree no longer extends the trusted checkpoint (rewritten and re-signed)' },
  tile_mismatch: { status: null, title: 'Tile mismatch', description: 'A public tile does not match the hashes recomputed from the entries' },
  root_mismatch: { status: null, title: 'Root mismatch', description: 'The root recomputed from the entries is not the checkpoint\'s root hash' },
  inconsistent: { status: null, title: 'Inconsistent with the trusted checkpoint', description: 'No consistency proof links the trusted checkpoint to the current one' },
  entry_unlogged: { status: null, title: 'Entry not in the log', description: 'An entry below the integrated seq is not in the log' },
} as const satisfies ErrorTable;

export type LogProblemCode = keyof typeof LOG_PROBLEMS;

export interface LogProblem {
  code: LogProblemCode;
  message: string;
  /** The leaf index, for problems with one entry or tile. */
  index?: number;
  /** The audit seq, where known. */
  seq?: number;
}
