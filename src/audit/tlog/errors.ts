/**
 * Coded errors of the transparency-log library. Every failure it reports on purpose carries one of
 * these codes, so callers (integrator, tile server, witness, CLI) can map them to HTTP statuses or
 * exit codes without reading messages. None is an HTTP answer of its own (status null): a route that
 * meets one says what it means for its caller (server/error-catalogue.ts). A code, once published,
 * keeps its meaning: retire, never reuse.
 */
import { CodedError, type ErrorTable } from '../../core/errors.ts';

export const TLOG_ERRORS = {
  invalid_argument: { status: null, title: 'Argument out of range', description: 'A caller passed a value outside the documented range (negative size, index past the tree…)' },
  invalid_proof: { status: null, title: 'The proof does not verify', description: 'An inclusion or consistency proof does not verify (RFC 9162 §2.1.3.2, §2.1.4.2)' },
  malformed_note: { status: null, title: 'Malformed signed note', description: 'A signed note does not follow c2sp.org/signed-note' },
  malformed_key: { status: null, title: 'Unusable key', description: 'A verifier or signer key string, or raw key bytes, cannot be used' },
  unknown_key: { status: null, title: 'No trusted signature', description: 'No signature on the note comes from a trusted key (c2sp.org/signed-note §Signatures)' },
  ambiguous_key: { status: null, title: 'Ambiguous trusted keys', description: 'Two trusted keys share a name and key ID, so a signature cannot be attributed' },
  bad_signature: { status: null, title: 'Bad signature', description: 'A signature from a trusted key does not verify' },
  malformed_checkpoint: { status: null, title: 'Malformed checkpoint', description: 'A checkpoint body does not follow c2sp.org/tlog-checkpoint' },
  origin_mismatch: { status: null, title: 'Wrong log origin', description: 'A checkpoint names a different log origin than expected' },
  malformed_cosignature: { status: null, title: 'Malformed cosignature', description: 'A cosignature does not follow c2sp.org/tlog-cosignature' },
  malformed_tile_path: { status: null, title: 'Malformed tile path', description: 'A tile or entry-bundle path is not in canonical c2sp.org/tlog-tiles form' },
  malformed_tile: { status: null, title: 'Malformed tile', description: 'Tile data has the wrong length or does not hold the requested hash' },
  malformed_entry_bundle: { status: null, title: 'Malformed entry bundle', description: 'An entry bundle is truncated or holds more than 256 entries' },
  entry_too_large: { status: null, title: 'Entry too large', description: 'An entry is longer than the 65,535 bytes an entry bundle can frame' },
  malformed_witness_request: { status: null, title: 'Malformed witness request', description: 'An add-checkpoint body does not follow c2sp.org/tlog-witness' },
  malformed_proof_file: { status: null, title: 'Malformed proof file', description: 'A proof file does not follow c2sp.org/tlog-proof@v1' },
  commitment_mismatch: { status: null, title: 'The entry does not match its commitment', description: 'A revealed entry and salt do not hash to the leaf committed in the log' },
} as const satisfies ErrorTable;

/** The closed set of codes a {@link TlogError} can carry. */
export type TlogErrorCode = keyof typeof TLOG_ERRORS;

/**
 * The one error class of this folder. The message says what was wrong and what to do about it;
 * `code` is for programs.
 *
 * @example
 * try { verifyInclusion(leaf, 3n, 8n, proof, root) }
 * catch (e) { if (isTlogError(e) && e.code === 'invalid_proof') reject(e.message) }
 */
export class TlogError extends CodedError<TlogErrorCode> {
  override readonly name = 'TlogError';

  get table(): typeof TLOG_ERRORS {
    return TLOG_ERRORS;
  }
}

/** Narrows an unknown thrown value to a {@link TlogError}. */
export function isTlogError(e: unknown): e is TlogError {
  return e instanceof TlogError;
}
