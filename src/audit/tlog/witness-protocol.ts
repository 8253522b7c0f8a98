/**
 * c2sp.org/tlog-witness bodies. The add-checkpoint request is an `old <size>` line, at most 63
 * base64 consistency-proof lines, a blank line, then the signed checkpoint verbatim. A 409 answer
 * carries the witness's size as `<size>\n` with content type text/x.tlog.size. A 200 answer is
 * signature lines: write them with formatSignatureLine, read them with parseSignatureLines (note.ts).
 */
import { TlogError } from './errors.ts';
import { HASH_SIZE } from './merkle.ts';
import { decodeBase64Bytes, decodeUtf8, parseDecimal, quote } from './text-codec.ts';
import { toTreeIndex, type TreeIndex } from './tree-size.ts';

/** tlog-witness: "The client MUST NOT send more than 63 consistency proof lines." */
export const MAX_WITNESS_PROOF_LINES = 63;
/** Content type of the 409 Conflict body. */
export const TREE_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/** An add-checkpoint request. `oldSize` 0 with an empty proof is a log's first submission. */
export interface AddCheckpointRequest {
  readonly oldSize: bigint;
  readonly proof: readonly Buffer[];
  /** The signed checkpoint note, verbatim; open it with openCheckpoint and the log's keys. */
  readonly checkpoint: string;
}

function malformed(message: string): never {
  throw new TlogError('malformed_witness_request', message);
}

/** Writes an add-checkpoint request body. */
export function formatAddCheckpointRequest(request: { oldSize: TreeIndex; proof: readonly Uint8Array[]; checkpoint: string }): string {
  const oldSize = toTreeIndex(request.oldSize, 'old size');
  if (request.proof.length > MAX_WITNESS_PROOF_LINES) malformed(`a request carries at most ${MAX_WITNESS_PROOF_LINES} proof lines`);
  if (request.proof.some((hash) => hash.length !== HASH_SIZE)) malformed(`proof lines are ${HASH_SIZE}-byte hashes`);
  if (request.checkpoint === '') malformed('the request needs a signed checkpoint');
  const proof = request.proof.map((hash) => `${Buffer.from(hash).toString('base64')}\n`).join('');
  return `old ${oldSize}\n${proof}\n${request.checkpoint}`;
}

/**
 * Parses an add-checkpoint body strictly (HTTP 400 material on failure). The checkpoint is returned
 * unparsed; the consistency proof is not checked here (a witness answers 422 for a bad proof).
 */
export function parseAddCheckpointRequest(body: Uint8Array | string): AddCheckpointRequest {
  const text = typeof body === 'string' ? body : decodeUtf8(body, 'malformed_witness_request', 'the request body');
  const lines = text.split('\n');
  const oldLine = lines[0]!;
  if (!oldLine.startsWith('old ') || lines.length < 2) malformed(`the body must start with "old <size>\\n", got ${quote(oldLine)}`);
  const oldSize = parseDecimal(oldLine.slice(4), 'malformed_witness_request', 'old size');
  const blank = lines.indexOf('', 1);
  if (blank < 0) malformed('no blank line separates the proof from the checkpoint');
  const proofLines = lines.slice(1, blank);
  if (proofLines.length > MAX_WITNESS_PROOF_LINES) malformed(`${proofLines.length} proof lines; at most ${MAX_WITNESS_PROOF_LINES} are allowed`);
  const proof = proofLines.map((line, i) => decodeBase64Bytes(line, HASH_SIZE, 'malformed_witness_request', `proof line ${i + 1}`));
  const checkpoint = lines.slice(blank + 1).join('\n');
  if (checkpoint === '') malformed('the request has no checkpoint after the blank line');
  return { oldSize, proof, checkpoint };
}

/** The body of a 409 Conflict answer: the witness's latest cosigned size and a newline. */
export function formatTreeSizeBody(size: TreeIndex): string {
  return `${toTreeIndex(size, 'tree size')}\n`;
}

/** Reads a 409 Conflict body, so a log can retry with the witness's size. */
export function parseTreeSizeBody(body: string): bigint {
  if (!body.endsWith('\n')) malformed('a tree size body ends with a newline');
  return parseDecimal(body.slice(0, -1), 'malformed_witness_request', 'witness tree size');
}
