/**
 * Coded errors of the transparency-log library. Every failure it reports on purpose carries one of
 * these codes, so callers (integrator, tile server, witness, CLI) can map them to HTTP statuses or
 * exit codes without reading messages. A code, once published, keeps its meaning: retire, never reuse.
 */
export const TLOG_ERRORS = {
  invalid_argument: 'A caller passed a value outside the documented range (negative size, index past the tree…)',
  invalid_proof: 'An inclusion or consistency proof does not verify (RFC 9162 §2.1.3.2, §2.1.4.2)',
  malformed_note: 'A signed note does not follow c2sp.org/signed-note',
  malformed_key: 'A verifier or signer key string, or raw key bytes, cannot be used',
  unknown_key: 'No signature on the note comes from a trusted key (c2sp.org/signed-note §Signatures)',
  ambiguous_key: 'Two trusted keys share a name and key ID, so a signature cannot be attributed',
  bad_signature: 'A signature from a trusted key does not verify',
  malformed_checkpoint: 'A checkpoint body does not follow c2sp.org/tlog-checkpoint',
  origin_mismatch: 'A checkpoint names a different log origin than expected',
  malformed_cosignature: 'A cosignature does not follow c2sp.org/tlog-cosignature',
  malformed_tile_path: 'A tile or entry-bundle path is not in canonical c2sp.org/tlog-tiles form',
  malformed_tile: 'Tile data has the wrong length or does not hold the requested hash',
  malformed_entry_bundle: 'An entry bundle is truncated or holds more than 256 entries',
  entry_too_large: 'An entry is longer than the 65,535 bytes an entry bundle can frame',
  malformed_witness_request: 'An add-checkpoint body does not follow c2sp.org/tlog-witness',
  malformed_proof_file: 'A proof file does not follow c2sp.org/tlog-proof@v1',
  commitment_mismatch: 'A revealed entry and salt do not hash to the leaf committed in the log',
} as const satisfies Record<string, string>;

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
export class TlogError extends Error {
  override readonly name = 'TlogError';

  constructor(
    readonly code: TlogErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Narrows an unknown thrown value to a {@link TlogError}. */
export function isTlogError(e: unknown): e is TlogError {
  return e instanceof TlogError;
}
