/**
 * c2sp.org/tlog-checkpoint: the note text `<origin>\n<tree size>\n<base64 root hash>\n`, signed as a
 * signed note. Flowguard writes no extension lines (transparency-log.md §Checkpoint), and its parser
 * refuses them, so a checkpoint has exactly one spelling.
 */
import { TlogError } from './errors.ts';
import { HASH_SIZE } from './merkle.ts';
import { openNote, signNote, type NoteSignature, type OpenedNote } from './note.ts';
import type { NoteSigner, NoteVerifier } from './note-verifier.ts';
import { decodeBase64Bytes, parseDecimal, quote } from './text-codec.ts';
import { toTreeIndex } from './tree-size.ts';

/** A log's signed tree head: which log, how many leaves, which root. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: bigint;
  readonly root: Buffer;
}

/** A checkpoint read from a note whose signatures were verified. */
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
}

const FORBIDDEN_IN_ORIGIN = /[\p{Cc}\p{Cs}]/u;

function malformed(message: string): never {
  throw new TlogError('malformed_checkpoint', message);
}

/** Writes the checkpoint body (the note text). */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, root } = checkpoint;
  if (origin === '' || FORBIDDEN_IN_ORIGIN.test(origin)) malformed(`origin ${quote(origin)} must be non-empty text on one line`);
  if (root.length !== HASH_SIZE) malformed(`root hash must be ${HASH_SIZE} bytes, got ${root.length}`);
  const size = toTreeIndex(checkpoint.size, 'tree size');
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
}

/** Parses a checkpoint body strictly: three lines, canonical size and base64, no extension lines. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) malformed('checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) malformed(`checkpoint has ${lines.length} lines; it needs origin, tree size and root hash`);
  if (lines.length > 3) malformed(`checkpoint has ${lines.length - 3} extension line(s); Flowguard checkpoints have none`);
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin === '' || FORBIDDEN_IN_ORIGIN.test(origin)) malformed('checkpoint origin line is empty or holds control characters');
  return {
    origin,
    size: parseDecimal(sizeText, 'malformed_checkpoint', 'checkpoint tree size'),
    root: decodeBase64Bytes(rootText, HASH_SIZE, 'malformed_checkpoint', 'checkpoint root hash'),
  };
}

/** Signs a checkpoint and writes the signed note (what `<prefix>/checkpoint` serves). */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[], existing: readonly NoteSignature[] = []): string {
  return signNote(formatCheckpoint(checkpoint), signers, existing);
}

/**
 * Verifies a signed checkpoint against trusted keys (see openNote for the signature rules) and parses
 * it. With `origin`, also throws `origin_mismatch` if it names another log.
 */
export function openCheckpoint(
  message: Uint8Array | string,
  verifiers: readonly NoteVerifier[],
  options: { origin?: string } = {},
): OpenedCheckpoint {
  const note = openNote(message, verifiers);
  const checkpoint = parseCheckpoint(note.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new TlogError('origin_mismatch', `checkpoint is for log ${quote(checkpoint.origin)}, expected ${quote(options.origin)}`);
  }
  return { checkpoint, note };
}
