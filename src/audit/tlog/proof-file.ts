/**
 * c2sp.org/tlog-proof@v1: offline evidence that one entry is in the log. Lines: the header, an
 * optional `extra <base64>`, `index <N>`, the inclusion proof hashes (leaf's sibling first), a blank
 * line, then the signed checkpoint verbatim (with any cosignatures). Store as `.tlog-proof`.
 */
import { TlogError } from './errors.ts';
import { openCheckpoint, type OpenedCheckpoint } from './checkpoint.ts';
import { HASH_SIZE, leafHash } from './merkle.ts';
import { verifyInclusion } from './merkle-verify.ts';
import type { NoteVerifier } from './note-verifier.ts';
import { decodeBase64, decodeBase64Bytes, decodeUtf8, parseDecimal, quote } from './text-codec.ts';
import { toTreeIndex, type TreeIndex } from './tree-size.ts';

/** tlog-proof: the first line of every proof. */
export const PROOF_FILE_HEADER = 'c2sp.org/tlog-proof@v1';
/** An inclusion proof in a tree of at most 2^64-1 leaves has at most 64 hashes. */
export const MAX_INCLUSION_PROOF_HASHES = 64;

/** The parts of a proof file. `extra` is unauthenticated application data (tlog-proof §Format). */
export interface ProofFile {
  readonly extra?: Buffer;
  readonly index: bigint;
  readonly proof: readonly Buffer[];
  readonly checkpoint: string;
}

function malformed(message: string): never {
  throw new TlogError('malformed_proof_file', message);
}

/** Writes a proof file. */
export function formatProofFile(file: { extra?: Uint8Array; index: TreeIndex; proof: readonly Uint8Array[]; checkpoint: string }): string {
  if (file.proof.length > MAX_INCLUSION_PROOF_HASHES) malformed(`at most ${MAX_INCLUSION_PROOF_HASHES} proof hashes`);
  if (file.proof.some((hash) => hash.length !== HASH_SIZE)) malformed(`proof hashes are ${HASH_SIZE} bytes`);
  if (file.extra?.length === 0) malformed('omit extra rather than write it empty');
  if (file.checkpoint === '') malformed('a proof file needs the signed checkpoint');
  const extra = file.extra ? `extra ${Buffer.from(file.extra).toString('base64')}\n` : '';
  const proof = file.proof.map((hash) => `${Buffer.from(hash).toString('base64')}\n`).join('');
  return `${PROOF_FILE_HEADER}\n${extra}index ${toTreeIndex(file.index, 'leaf index')}\n${proof}\n${file.checkpoint}`;
}

/** Parses a proof file strictly; the checkpoint is returned as text, to be verified by the caller. */
export function parseProofFile(input: Uint8Array | string): ProofFile {
  const text = typeof input === 'string' ? input : decodeUtf8(input, 'malformed_proof_file', 'the proof file');
  const lines = text.split('\n');
  if (lines[0] !== PROOF_FILE_HEADER) malformed(`the first line must be ${PROOF_FILE_HEADER}, got ${quote(lines[0] ?? '')}`);
  let next = 1;
  let extra: Buffer | undefined;
  if (lines[next]?.startsWith('extra ')) {
    extra = decodeBase64(lines[next]!.slice('extra '.length), 'malformed_proof_file', 'extra data');
    if (extra.length === 0) malformed('extra line is empty');
    next++;
  }
  const indexLine = lines[next] ?? '';
  if (!indexLine.startsWith('index ')) malformed(`expected "index <N>", got ${quote(indexLine)}`);
  const index = parseDecimal(indexLine.slice('index '.length), 'malformed_proof_file', 'index');
  const blank = lines.indexOf('', next + 1);
  if (blank < 0) malformed('no blank line separates the proof from the checkpoint');
  const hashLines = lines.slice(next + 1, blank);
  if (hashLines.length > MAX_INCLUSION_PROOF_HASHES) malformed(`${hashLines.length} proof hashes; at most ${MAX_INCLUSION_PROOF_HASHES}`);
  const proof = hashLines.map((line, i) => decodeBase64Bytes(line, HASH_SIZE, 'malformed_proof_file', `proof hash ${i + 1}`));
  const checkpoint = lines.slice(blank + 1).join('\n');
  if (checkpoint === '') malformed('the proof file has no checkpoint after the blank line');
  return { ...(extra ? { extra } : {}), index, proof, checkpoint };
}

/** What a verified proof file establishes. */
export interface VerifiedProofFile extends OpenedCheckpoint {
  readonly index: bigint;
  readonly extra?: Buffer;
}

/**
 * Verifies a proof file for `leafData` (the leaf as logged, e.g. an entry commitment): the checkpoint's
 * signatures against `verifiers` (log key, and witness keys to count cosignatures), the origin if
 * given, then inclusion of leafHash(leafData) at the stated index (RFC 9162 §2.1.3.2).
 */
export function verifyProofFile(
  input: Uint8Array | string | ProofFile,
  leafData: Uint8Array,
  verifiers: readonly NoteVerifier[],
  options: { origin?: string } = {},
): VerifiedProofFile {
  const file = typeof input === 'string' || input instanceof Uint8Array ? parseProofFile(input) : input;
  const opened = openCheckpoint(file.checkpoint, verifiers, options);
  verifyInclusion(leafHash(leafData), file.index, opened.checkpoint.size, file.proof, opened.checkpoint.root);
  return { ...opened, index: file.index, ...(file.extra ? { extra: file.extra } : {}) };
}
