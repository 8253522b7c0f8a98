/**
 * Coded errors of the witness, its client and the cosigned-checkpoint verifier. Codes with an HTTP
 * status are the witness's answers to add-checkpoint (c2sp.org/tlog-witness, commit 055270b5); the
 * others are raised on the log's or the auditor's side and never leave the process as a response.
 * A code, once published, keeps its meaning: retire, never reuse.
 */

import { CodedError, type ErrorTable } from '../../core/errors.ts';

/** Each code: the HTTP status the witness answers with (null: not a witness answer), a title and what it means. */
export const WITNESS_ERRORS = {
  malformed_request: { status: 400, title: 'Malformed add-checkpoint request', description: 'The add-checkpoint body or the checkpoint in it does not follow c2sp.org/tlog-witness / tlog-checkpoint' },
  old_size_too_large: { status: 400, title: 'Old size larger than the checkpoint', description: 'The old size is larger than the checkpoint size (tlog-witness: "MUST respond with a 400 Bad Request")' },
  untrusted_signature: { status: 403, title: 'No trusted log signature', description: 'No signature on the checkpoint verifies against a key the witness trusts for its origin' },
  unknown_log: { status: 404, title: 'Unknown log', description: 'The witness is not configured for the checkpoint origin' },
  old_size_mismatch: { status: 409, title: 'Old size is not the witness\'s size', description: 'The old size is not the size of the latest checkpoint the witness cosigned; the body gives that size' },
  conflicting_root: { status: 409, title: 'Conflicting root hash', description: 'The checkpoint has the size the witness last cosigned but another root hash: a split view' },
  invalid_proof: { status: 422, title: 'Consistency proof does not verify', description: 'The consistency proof from the witness\'s checkpoint to the new one does not verify' },
  state_failure: { status: 500, title: 'Witness state not written', description: 'The witness could not read or durably write its state; nothing was cosigned' },
  invalid_configuration: { status: null, title: 'Unusable witness configuration', description: 'The witness key file, config.json or a --log flag cannot be used' },
  witness_unreachable: { status: null, title: 'Witness unreachable', description: 'The witness did not answer (network error or timeout)' },
  witness_refused: { status: null, title: 'Witness refused', description: 'The witness answered with a status other than 200 that a retry cannot fix' },
  witness_conflict: { status: null, title: 'Witness conflict not settled', description: 'The witness answered 409 and a single retry from its size could not settle it' },
  malformed_response: { status: null, title: 'Malformed witness response', description: 'The witness answered 200 with something other than valid cosignature lines from its key' },
  checkpoint_not_verified: { status: null, title: 'Checkpoint not verified', description: 'A cosigned checkpoint is malformed or lacks a valid signature of the log' },
  quorum_not_met: { status: null, title: 'Witness quorum not met', description: 'Fewer trusted witnesses cosigned the checkpoint than the quorum requires' },
} as const satisfies ErrorTable;

/** The closed set of codes a {@link WitnessError} can carry. */
export type WitnessErrorCode = keyof typeof WITNESS_ERRORS;

/**
 * The one error class of this folder. `details` carries machine-readable facts, e.g. the witness's
 * tree size for `old_size_mismatch` and `witness_conflict`, or the HTTP status for `witness_refused`.
 *
 * @example
 * try { await submitToWitness(url, note, 0n, []) }
 * catch (e) { if (isWitnessError(e) && e.code === 'witness_conflict') console.log(e.details.witnessSize) }
 */
export class WitnessError extends CodedError<WitnessErrorCode> {
  override readonly name = 'WitnessError';

  constructor(
    code: WitnessErrorCode,
    message: string,
    readonly details: { witnessSize?: bigint; status?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  /** The witness answers with the table's status (500 for codes that are not answers: see CodedError.status). */
  get table(): typeof WITNESS_ERRORS {
    return WITNESS_ERRORS;
  }
}

/** Narrows an unknown thrown value to a {@link WitnessError}. */
export function isWitnessError(e: unknown): e is WitnessError {
  return e instanceof WitnessError;
}
