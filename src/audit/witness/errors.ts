/**
 * Coded errors of the witness, its client and the cosigned-checkpoint verifier. Codes with an HTTP
 * status are the witness's answers to add-checkpoint (c2sp.org/tlog-witness, commit 055270b5); the
 * others are raised on the log's or the auditor's side and never leave the process as a response.
 * A code, once published, keeps its meaning: retire, never reuse.
 */

/** Each code: the HTTP status the witness answers with (null: not a witness answer) and what it means. */
export const WITNESS_ERRORS = {
  malformed_request: { status: 400, description: 'The add-checkpoint body or the checkpoint in it does not follow c2sp.org/tlog-witness / tlog-checkpoint' },
  old_size_too_large: { status: 400, description: 'The old size is larger than the checkpoint size (tlog-witness: "MUST respond with a 400 Bad Request")' },
  untrusted_signature: { status: 403, description: 'No signature on the checkpoint verifies against a key the witness trusts for its origin' },
  unknown_log: { status: 404, description: 'The witness is not configured for the checkpoint origin' },
  old_size_mismatch: { status: 409, description: 'The old size is not the size of the latest checkpoint the witness cosigned; the body gives that size' },
  conflicting_root: { status: 409, description: 'The checkpoint has the size the witness last cosigned but another root hash: a split view' },
  invalid_proof: { status: 422, description: 'The consistency proof from the witness\'s checkpoint to the new one does not verify' },
  state_failure: { status: 500, description: 'The witness could not read or durably write its state; nothing was cosigned' },
  invalid_configuration: { status: null, description: 'The witness key file, config.json or a --log flag cannot be used' },
  witness_unreachable: { status: null, description: 'The witness did not answer (network error or timeout)' },
  witness_refused: { status: null, description: 'The witness answered with a status other than 200 that a retry cannot fix' },
  witness_conflict: { status: null, description: 'The witness answered 409 and a single retry from its size could not settle it' },
  malformed_response: { status: null, description: 'The witness answered 200 with something other than valid cosignature lines from its key' },
  checkpoint_not_verified: { status: null, description: 'A cosigned checkpoint is malformed or lacks a valid signature of the log' },
  quorum_not_met: { status: null, description: 'Fewer trusted witnesses cosigned the checkpoint than the quorum requires' },
} as const satisfies Record<string, { status: number | null; description: string }>;

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
export class WitnessError extends Error {
  override readonly name = 'WitnessError';

  constructor(
    readonly code: WitnessErrorCode,
    message: string,
    readonly details: { witnessSize?: bigint; status?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The HTTP status a witness answers with for this error (500 for codes that are not answers). */
  get status(): number {
    return WITNESS_ERRORS[this.code].status ?? 500;
  }
}

/** Narrows an unknown thrown value to a {@link WitnessError}. */
export function isWitnessError(e: unknown): e is WitnessError {
  return e instanceof WitnessError;
}
