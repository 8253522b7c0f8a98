/**
 * Cosigned checkpoints: the log's signed checkpoint plus witness cosignatures (c2sp.org/tlog-witness:
 * the client "MAY concatenate [the response] to the checkpoint, and use a note verification function
 * configured with the witness keys it trusts"). Merging and the quorum check an auditor applies.
 */
import {
  formatKeyId, formatNote, isTlogError, openCheckpoint, parseCosignature, parseNote, parseSignatureLines,
  type Checkpoint, type NoteSignature, type NoteVerifier,
} from '../tlog/index.ts';
import { WitnessError } from './errors.ts';

/**
 * Adds cosignature lines (one or more witness answers) to a signed note. A new signature from a key
 * already on the note replaces the old one (a fresh cosignature supersedes the previous), so the
 * note never carries two signatures by one key.
 */
export function mergeCosignatures(signedNote: string, lines: string | readonly string[]): string {
  const note = parseNote(signedNote);
  const added = (typeof lines === 'string' ? [lines] : lines).flatMap((block) => parseSignatureLines(block));
  const signatures: NoteSignature[] = [];
  for (const signature of [...note.signatures, ...added]) {
    const existing = signatures.findIndex((s) => s.name === signature.name && s.keyId === signature.keyId);
    if (existing >= 0) signatures.splice(existing, 1);
    signatures.push(signature);
  }
  return formatNote({ text: note.text, signatures });
}

/** A witness whose cosignature verified, and when it cosigned (POSIX seconds). */
export interface VerifiedCosignature {
  readonly name: string;
  readonly keyId: number;
  readonly timestamp: bigint;
}

/** What {@link verifyCosignedCheckpoint} established. */
export interface VerifiedCosignedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly cosignatures: readonly VerifiedCosignature[];
}

/**
 * Verifies a cosigned checkpoint: the log's signature (any of `logVerifier`, e.g. during a key
 * rotation), and valid cosignatures from at least `quorum` distinct trusted witnesses. A trusted key's
 * bad signature rejects the note (as Go's note.Open does); signatures from unknown keys are ignored.
 * Throws `checkpoint_not_verified` or `quorum_not_met`.
 */
export function verifyCosignedCheckpoint(
  note: string,
  logVerifier: NoteVerifier | readonly NoteVerifier[],
  witnessVerifiers: readonly NoteVerifier[],
  quorum: number,
  options: { origin?: string } = {},
): VerifiedCosignedCheckpoint {
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnessVerifiers.length) {
    throw new WitnessError('invalid_configuration', `quorum ${quorum} must be between 0 and the ${witnessVerifiers.length} trusted witnesses`);
  }
  const logKeys = Array.isArray(logVerifier) ? (logVerifier as readonly NoteVerifier[]) : [logVerifier as NoteVerifier];
  const idOf = (k: { name: string; keyId: number }) => `${k.name}+${formatKeyId(k.keyId)}`;
  const logIds = new Set(logKeys.map(idOf));
  const witnessIds = new Set(witnessVerifiers.map(idOf));
  let opened;
  try {
    opened = openCheckpoint(note, [...logKeys, ...witnessVerifiers], options);
  } catch (cause) {
    throw new WitnessError('checkpoint_not_verified', `the cosigned checkpoint does not verify: ${isTlogError(cause) ? cause.message : String(cause)}`, {}, { cause });
  }
  if (!opened.note.verified.some((s) => logIds.has(idOf(s)))) {
    throw new WitnessError('checkpoint_not_verified', `the checkpoint carries no valid signature of the log (${[...logIds].join(', ')})`);
  }
  const cosignatures = opened.note.verified
    .filter((s) => witnessIds.has(idOf(s)) && !logIds.has(idOf(s)))
    .map((s) => ({ name: s.name, keyId: s.keyId, timestamp: parseCosignature(s.signature).timestamp }));
  if (cosignatures.length < quorum) {
    const names = cosignatures.map((c) => c.name).join(', ') || 'none';
    throw new WitnessError('quorum_not_met', `${cosignatures.length} of ${witnessVerifiers.length} trusted witnesses cosigned (${names}); ${quorum} required`);
  }
  return { checkpoint: opened.checkpoint, cosignatures };
}
