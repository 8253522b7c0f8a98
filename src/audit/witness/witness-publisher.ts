/**
 * The log's publisher that collects witness cosignatures: for each new checkpoint, submit it to every
 * configured witness (in parallel), and return the note with their cosignatures once at least
 * `quorum` of them cosigned. Fewer is an error, so the integrator keeps serving the previous cosigned
 * checkpoint and tries again (src/audit/log/checkpoint-publisher.ts). It fits the log's
 * `CheckpointPublisher` interface by shape.
 */
import { parseVerifierKey, type Checkpoint, type NoteVerifier } from '../tlog/index.ts';
import { mergeCosignatures } from './cosigned-checkpoint.ts';
import { WitnessError } from './errors.ts';
import { submitToWitness } from './witness-client.ts';

/** A witness the log submits to: its submission prefix and its cosignature verifier key (0x04). */
export interface WitnessEndpoint {
  readonly url: string;
  readonly verifierKey: string;
}

/** Options of {@link createWitnessPublisher}. */
export interface WitnessPublisherOptions {
  readonly witnesses: readonly WitnessEndpoint[];
  /** How many witnesses must cosign before a checkpoint is published; default all of them. */
  readonly quorum?: number;
  readonly timeoutMs?: number;
  /** Told about each witness that failed (the checkpoint may still reach the quorum). */
  readonly onWitnessError?: (url: string, error: unknown) => void;
}

/** What the integrator hands over for each new checkpoint (the log's PublishRequest). */
export interface CheckpointToPublish {
  readonly checkpoint: Checkpoint;
  readonly note: string;
  readonly previous: { readonly checkpoint: Checkpoint; readonly note: string } | undefined;
  proveFrom(size: bigint): Promise<readonly Uint8Array[]>;
}

/** Collects cosignatures from the configured witnesses; `publish` resolves with the cosigned note. */
export function createWitnessPublisher(options: WitnessPublisherOptions): { publish(request: CheckpointToPublish): Promise<string> } {
  const quorum = options.quorum ?? options.witnesses.length;
  if (options.witnesses.length === 0 || !Number.isSafeInteger(quorum) || quorum < 1 || quorum > options.witnesses.length) {
    throw new WitnessError('invalid_configuration', `witness quorum ${quorum} must be between 1 and the ${options.witnesses.length} configured witnesses`);
  }
  const witnesses = options.witnesses.map(({ url, verifierKey }) => ({ url, verifier: parseWitnessKey(verifierKey, url) }));
  /** The size each witness last cosigned, as far as this process knows (a 409 corrects it). */
  const known = new Map<string, bigint>();

  return {
    async publish(request) {
      const size = request.checkpoint.size;
      const proofFrom = (old: bigint) => (old === 0n || old === size ? Promise.resolve([]) : request.proveFrom(old));
      const results = await Promise.allSettled(witnesses.map(async ({ url, verifier }) => {
        const old = known.get(url) ?? request.previous?.checkpoint.size ?? 0n;
        const lines = await submitToWitness(url, request.note, old, await proofFrom(old), {
          witness: verifier,
          proveFrom: proofFrom,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        });
        known.set(url, size);
        return lines;
      }));
      const lines: string[] = [];
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') lines.push(result.value);
        else options.onWitnessError?.(witnesses[i]!.url, result.reason);
      });
      if (lines.length < quorum) {
        const reasons = results.flatMap((r, i) => (r.status === 'rejected' ? [`${witnesses[i]!.url}: ${(r.reason as Error).message}`] : []));
        throw new WitnessError('quorum_not_met', `${lines.length} of ${witnesses.length} witnesses cosigned checkpoint ${size}, ${quorum} required (${reasons.join('; ')})`);
      }
      return mergeCosignatures(request.note, lines);
    },
  };
}

/**
 * Parses a list of witnesses as a log's configuration would hold it (e.g. an environment variable):
 * entries separated by newlines or commas, each `<submission URL> <verifier key>`.
 *
 * @example
 * parseWitnessEndpoints('http://witness.regulator.example:7380 regulator.example/witness+1a2b3c4d+BB…')
 */
export function parseWitnessEndpoints(text: string): WitnessEndpoint[] {
  return text.split(/[\n,]/).map((entry) => entry.trim()).filter((entry) => entry !== '').map((entry) => {
    const [url, verifierKey, ...rest] = entry.split(/\s+/);
    let parsed: URL | undefined;
    try {
      parsed = new URL(url!);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || verifierKey === undefined || rest.length > 0) {
      throw new WitnessError('invalid_configuration', `witness entry ${JSON.stringify(entry)} must be "<http(s) URL> <verifier key>"`);
    }
    parseWitnessKey(verifierKey, url!);
    return { url: url!, verifierKey };
  });
}

function parseWitnessKey(key: string, url: string): NoteVerifier {
  try {
    return parseVerifierKey(key);
  } catch (cause) {
    throw new WitnessError('invalid_configuration', `witness ${url}: ${(cause as Error).message}`, {}, { cause });
  }
}
