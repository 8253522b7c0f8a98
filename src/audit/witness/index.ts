/**
 * The witness the regulator runs (c2sp.org/tlog-witness add-checkpoint with tlog-cosignature
 * `cosignature/v1`), the client a log uses to collect cosignatures, and the verifier of cosigned
 * checkpoints. See README.md in this folder.
 */
export * from './errors.ts';
export * from '../atomic-file.ts';
export * from './keyed-queue.ts';
export * from './witness-state.ts';
export * from './witness.ts';
export * from './witness-key.ts';
export * from './trusted-logs.ts';
export * from './witness-server.ts';
export * from './witness-client.ts';
export * from './cosigned-checkpoint.ts';
export * from './witness-publisher.ts';
