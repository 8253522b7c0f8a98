/**
 * The log's side of c2sp.org/tlog-witness: submit a signed checkpoint with a consistency proof and
 * get the witness's cosignature lines back. A 409 means the witness holds another size than the log
 * thought; with a proof provider the client retries once from the size the witness reports (the spec:
 * a client "MAY initially make a request with a old size of zero to obtain it").
 */
import {
  formatAddCheckpointRequest, formatSignatureLine, isTlogError, parseCheckpoint, parseNote, parseSignatureLines,
  parseTreeSizeBody, toTreeIndex, TREE_SIZE_CONTENT_TYPE, type NoteVerifier, type TreeIndex,
} from '../tlog/index.ts';
import { WitnessError } from './errors.ts';

/** Options of {@link submitToWitness}. */
export interface SubmitOptions {
  /**
   * Gives the consistency proof from `size` (the witness's size, from a 409) to the submitted
   * checkpoint. Without it a 409 is thrown as `witness_conflict`.
   */
  readonly proveFrom?: (size: bigint) => Promise<readonly Uint8Array[]> | readonly Uint8Array[];
  /**
   * The witness's cosignature verifier (parseVerifierKey of its 0x04 key). When given, only lines
   * from that key are returned and each must verify, so a wrong or broken witness is caught here.
   */
  readonly witness?: NoteVerifier;
  /** Per-request timeout; default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * Submits `signedCheckpoint` (as the log signed it) to the witness whose submission prefix is `url`
 * (e.g. `http://witness.example:7380`; `/add-checkpoint` is appended), with the consistency proof
 * from `oldSize`, and resolves with the cosignature line(s), ready for {@link mergeCosignatures}.
 * Throws a {@link WitnessError}: `witness_unreachable`, `witness_refused` (status in details),
 * `witness_conflict` (witness size in details) or `malformed_response`.
 *
 * @example
 * const lines = await submitToWitness('http://127.0.0.1:7380', note, previousSize, proof, {
 *   proveFrom: (size) => proofs.consistency(size, checkpoint.size),
 *   witness: parseVerifierKey(witnessKey),
 * });
 * publish(mergeCosignatures(note, lines));
 */
export async function submitToWitness(
  url: string,
  signedCheckpoint: string,
  oldSize: TreeIndex,
  proof: readonly Uint8Array[],
  options: SubmitOptions = {},
): Promise<string> {
  const endpoint = `${url.replace(/\/+$/, '')}/add-checkpoint`;
  const size = parseCheckpoint(parseNote(signedCheckpoint).text).size;
  let old = toTreeIndex(oldSize, 'old size');
  let answer = await post(endpoint, formatAddCheckpointRequest({ oldSize: old, proof, checkpoint: signedCheckpoint }), options);
  if (answer.status === 409) {
    const witnessSize = conflictSize(answer, endpoint);
    if (!options.proveFrom || witnessSize === old || witnessSize > size) {
      throw conflict(endpoint, witnessSize, size, old);
    }
    old = witnessSize;
    const retryProof = witnessSize === 0n ? [] : await options.proveFrom(witnessSize);
    answer = await post(endpoint, formatAddCheckpointRequest({ oldSize: old, proof: retryProof, checkpoint: signedCheckpoint }), options);
    if (answer.status === 409) throw conflict(endpoint, conflictSize(answer, endpoint), size, old);
  }
  if (answer.status !== 200) {
    const reason = answer.body.split('\n', 1)[0]!.slice(0, 200);
    throw new WitnessError('witness_refused', `witness ${endpoint} answered ${answer.status}: ${reason}`, { status: answer.status });
  }
  return cosignatureLines(answer.body, signedCheckpoint, endpoint, options.witness);
}

interface Answer { status: number; contentType: string; body: string }

async function post(endpoint: string, body: string, options: SubmitOptions): Promise<Answer> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
  } catch (cause) {
    throw new WitnessError('witness_unreachable', `witness ${endpoint} did not answer: ${(cause as Error).message}`, {}, { cause });
  }
}

function conflictSize(answer: Answer, endpoint: string): bigint {
  try {
    if (answer.contentType.split(';')[0]!.trim() !== TREE_SIZE_CONTENT_TYPE) throw new Error(`content type is ${answer.contentType || 'missing'}`);
    return parseTreeSizeBody(answer.body);
  } catch (cause) {
    throw new WitnessError('malformed_response', `witness ${endpoint} answered 409 without a ${TREE_SIZE_CONTENT_TYPE} size: ${(cause as Error).message}`, { status: 409 }, { cause });
  }
}

function conflict(endpoint: string, witnessSize: bigint, size: bigint, old: bigint): WitnessError {
  const why = witnessSize === old
    ? `it already cosigned a different tree of size ${witnessSize} (split view, or the log was rebuilt)`
    : witnessSize > size
      ? `it has cosigned size ${witnessSize}, larger than this checkpoint's ${size} (the log was rolled back?)`
      : `it is at size ${witnessSize}, not ${old}`;
  return new WitnessError('witness_conflict', `witness ${endpoint} refused the checkpoint: ${why}`, { witnessSize, status: 409 });
}

function cosignatureLines(body: string, signedCheckpoint: string, endpoint: string, witness: NoteVerifier | undefined): string {
  let signatures;
  try {
    signatures = parseSignatureLines(body);
  } catch (cause) {
    throw new WitnessError('malformed_response', `witness ${endpoint} answered 200 without signature lines: ${isTlogError(cause) ? cause.message : String(cause)}`, {}, { cause });
  }
  if (!witness) return body;
  const text = Buffer.from(parseNote(signedCheckpoint).text, 'utf8');
  const own = signatures.filter((s) => s.name === witness.name && s.keyId === witness.keyId);
  if (own.length === 0) throw new WitnessError('malformed_response', `witness ${endpoint} answered with no cosignature from ${witness.name}`);
  if (!own.every((s) => witness.verify(text, s.signature))) {
    throw new WitnessError('malformed_response', `a cosignature from ${endpoint} does not verify with the key of ${witness.name}`);
  }
  return own.map(formatSignatureLine).join('');
}
