/**
 * The witness's add-checkpoint logic (c2sp.org/tlog-witness, commit 055270b5, §add-checkpoint),
 * without HTTP: `addCheckpoint(body)` returns the cosignature lines or throws a {@link WitnessError}
 * whose code maps to the status the spec requires. The checks run in the spec's order, except that
 * 5 precedes 6 (both answer the same 409 with the witness's size, so the wire cannot tell):
 *
 * 1. the body parses (400); 2. the origin is configured (404); 3. a trusted key signed (403);
 * 4. old size ≤ checkpoint size (400); then, atomically per origin with the state update:
 * 5. a checkpoint of the size last cosigned has the same root (409; the refused one is kept as
 *    evidence of a split view); 6. old size = the size last cosigned (409 + that size);
 * 7. the consistency proof verifies, and is empty from size 0 or for equal sizes (422);
 * 8. the new checkpoint is persisted; only then is it cosigned (200).
 */
import {
  createSignature, emptyRoot, equalBytes, formatSignatureLine, isTlogError, openCheckpoint, parseAddCheckpointRequest,
  parseCheckpoint, parseNote, verifyConsistency, type AddCheckpointRequest, type Checkpoint, type NoteSigner, type NoteVerifier,
} from '../tlog/index.ts';
import { WitnessError } from './errors.ts';
import { KeyedQueue } from './keyed-queue.ts';
import type { LogState, WitnessStateStore } from './witness-state.ts';

/** A log the witness cosigns for: its origin line and the keys allowed to sign its checkpoints. */
export interface TrustedLog {
  readonly origin: string;
  readonly verifiers: readonly NoteVerifier[];
}

/** What a witness needs: its cosignature/v1 signer, the logs it trusts and where it keeps state. */
export interface WitnessOptions {
  readonly cosigner: NoteSigner;
  readonly logs: readonly TrustedLog[];
  readonly state: WitnessStateStore;
  /** Told when the evidence of a split view could not be stored (the refusal stands regardless). */
  readonly onEvidenceError?: (error: unknown) => void;
}

/** A running witness. */
export interface Witness {
  readonly name: string;
  /** Handles one add-checkpoint body; resolves with the cosignature line(s), newline-terminated. */
  addCheckpoint(body: Uint8Array | string): Promise<string>;
  /** The latest checkpoint cosigned for `origin`, if any. */
  latest(origin: string): Promise<Checkpoint | undefined>;
}

/** Creates a witness over the given state store. Trusted logs must have distinct origins. */
export function createWitness(options: WitnessOptions): Witness {
  const logs = new Map<string, TrustedLog>();
  for (const log of options.logs) {
    if (logs.has(log.origin)) throw new WitnessError('invalid_configuration', `log ${log.origin} is configured twice`);
    if (log.verifiers.length === 0) throw new WitnessError('invalid_configuration', `log ${log.origin} has no verifier key`);
    logs.set(log.origin, log);
  }
  const queue = new KeyedQueue();
  const cache = new Map<string, LogState | undefined>();

  async function current(origin: string): Promise<LogState | undefined> {
    if (!cache.has(origin)) cache.set(origin, await options.state.read(origin));
    return cache.get(origin);
  }

  /**
   * Two checkpoints of one size with different roots, both signed by the log, prove a split view
   * (tlog-witness: the witness "MAY log the request … as it might be proof of log misbehavior").
   * Keeping the proof must not change the answer, so a failure to store it is only reported.
   */
  async function keepEvidence(cosigned: LogState, offered: string): Promise<void> {
    try {
      await options.state.recordSplitView?.(cosigned, offered);
    } catch (error) {
      options.onEvidenceError?.(error);
    }
  }

  return {
    name: options.cosigner.name,
    async addCheckpoint(body) {
      const request = parseRequest(body);
      const origin = originOf(request.checkpoint);
      const log = logs.get(origin);
      if (!log) throw new WitnessError('unknown_log', `this witness does not cosign for log ${JSON.stringify(origin)}`);
      const { checkpoint, note } = openTrusted(request.checkpoint, log);
      if (request.oldSize > checkpoint.size) {
        throw new WitnessError('old_size_too_large', `old size ${request.oldSize} is larger than the checkpoint size ${checkpoint.size}`);
      }
      return queue.run(origin, async () => {
        const state = await current(origin);
        if (state && isSplitView(state.checkpoint, checkpoint)) await keepEvidence(state, request.checkpoint);
        assertExtends(state?.checkpoint, request, checkpoint);
        const next: LogState = { checkpoint, note: request.checkpoint };
        await options.state.write(next);
        cache.set(origin, next);
        return formatSignatureLine(createSignature(options.cosigner, note));
      });
    },
    async latest(origin) {
      return queue.run(origin, async () => (await current(origin))?.checkpoint);
    },
  };
}

function parseRequest(body: Uint8Array | string): AddCheckpointRequest {
  try {
    return parseAddCheckpointRequest(body);
  } catch (cause) {
    throw new WitnessError('malformed_request', isTlogError(cause) ? cause.message : 'the body cannot be read', {}, { cause });
  }
}

/** The origin line, read before any signature is checked so an unknown log gets its 404. */
function originOf(signedCheckpoint: string): string {
  try {
    return parseCheckpoint(parseNote(signedCheckpoint).text).origin;
  } catch (cause) {
    throw new WitnessError('malformed_request', `the checkpoint is malformed: ${(cause as Error).message}`, {}, { cause });
  }
}

/** tlog-witness: verify against the origin's trusted keys, ignore unknown keys; 403 if none verifies. */
function openTrusted(signedCheckpoint: string, log: TrustedLog): { checkpoint: Checkpoint; note: string } {
  try {
    const opened = openCheckpoint(signedCheckpoint, log.verifiers, { origin: log.origin });
    return { checkpoint: opened.checkpoint, note: opened.note.text };
  } catch (cause) {
    const message = isTlogError(cause) ? cause.message : String(cause);
    throw new WitnessError('untrusted_signature', `checkpoint of ${log.origin} is not signed by a trusted key: ${message}`, {}, { cause });
  }
}

/**
 * Steps 5–7: the new checkpoint must extend the one last cosigned. Refusing here is what stops a
 * split view (same size, other root: 409) and a rollback (a smaller size is always an old-size
 * mismatch, 409, or an old size above the checkpoint's, 400).
 */
function assertExtends(previous: Checkpoint | undefined, request: AddCheckpointRequest, next: Checkpoint): void {
  const known = previous ?? { origin: next.origin, size: 0n, root: emptyRoot() };
  // Checked before the old size: whatever old size the log claims, a second root for a cosigned size
  // is a split view. Both refusals are the same 409 with the witness's size, so the order is not
  // visible on the wire, only in the code and the evidence kept.
  if (isSplitView(known, next)) {
    throw new WitnessError('conflicting_root', `a different tree of size ${next.size} was already cosigned: the log shows a split view`, { witnessSize: known.size });
  }
  if (request.oldSize !== known.size) {
    throw new WitnessError('old_size_mismatch', `old size ${request.oldSize} is not the size this witness last cosigned (${known.size})`, { witnessSize: known.size });
  }
  if (next.size === known.size) {
    if (request.proof.length !== 0) throw new WitnessError('invalid_proof', 'equal sizes take an empty consistency proof');
    return;
  }
  if (known.size === 0n) {
    // tlog-witness: "The proof MUST be empty if the old size is zero" — every tree extends the empty one.
    if (request.proof.length !== 0) throw new WitnessError('invalid_proof', 'a submission from old size 0 carries no proof lines');
    return;
  }
  try {
    verifyConsistency(known.size, next.size, request.proof, known.root, next.root);
  } catch (cause) {
    const message = isTlogError(cause) ? cause.message : String(cause);
    throw new WitnessError('invalid_proof', `consistency proof ${known.size} → ${next.size} does not verify: ${message}`, {}, { cause });
  }
}

/** Same size, different root: two trees the log signed for one size. */
function isSplitView(cosigned: Checkpoint, offered: Checkpoint): boolean {
  return cosigned.size === offered.size && !equalBytes(cosigned.root, offered.root);
}
