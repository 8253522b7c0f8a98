/**
 * The slot where witnesses plug into the log (c2sp.org/tlog-witness). After the integrator commits a
 * newly signed checkpoint it hands it to the configured publisher; the note the publisher returns
 * (the checkpoint with the witnesses' cosignature lines added) becomes what /log/checkpoint serves.
 * With no publisher, the log's own signed note is served at once. If publishing fails, the previous
 * published checkpoint keeps being served and the next step tries again with the newest checkpoint,
 * so a log with witnesses configured never serves a checkpoint no witness has seen (no split view).
 */
import type { Checkpoint } from '../tlog/index.ts';

/** What a publisher receives for each new checkpoint. */
export interface PublishRequest {
  /** The checkpoint just signed. */
  readonly checkpoint: Checkpoint;
  /** Its signed note, with the log's signatures only. */
  readonly note: string;
  /** The checkpoint published before this one (undefined for the first). */
  readonly previous: { readonly checkpoint: Checkpoint; readonly note: string } | undefined;
  /** The RFC 6962 consistency proof from `size` (0 < size ≤ checkpoint.size) to this checkpoint. */
  proveFrom(size: bigint): Promise<Buffer[]>;
}

/** Collects cosignatures (or publishes elsewhere) and returns the note to serve. */
export interface CheckpointPublisher {
  publish(request: PublishRequest): Promise<string>;
}
