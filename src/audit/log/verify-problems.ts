/**
 * What `audit verify` can find wrong with a log: a closed set of codes, each meaning one kind of
 * tampering or damage (README.md §Verification lists them). Codes, once published, keep their meaning.
 */
export type LogProblemCode =
  | 'no_checkpoint' | 'checkpoint_signature' | 'rollback' | 'state_mismatch'
  | 'entry_altered' | 'entry_missing' | 'leaf_missing' | 'bundle_mismatch' | 'truncated' | 'unsigned_leaves'
  | 'history_rewritten' | 'tile_mismatch' | 'root_mismatch' | 'inconsistent' | 'entry_unlogged';

export interface LogProblem {
  code: LogProblemCode;
  message: string;
  /** The leaf index, for problems with one entry or tile. */
  index?: number;
  /** The audit seq, where known. */
  seq?: number;
}
