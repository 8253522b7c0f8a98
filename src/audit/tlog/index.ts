/**
 * The verifiable access log's pure library: RFC 6962/9162 Merkle trees and the C2SP formats
 * (tlog-tiles, signed-note, tlog-checkpoint, tlog-cosignature, tlog-witness, tlog-proof), plus
 * Flowguard's salted leaf commitments. No I/O: stores, servers and witnesses build on it.
 * See README.md in this folder for the map.
 */
export * from './errors.ts';
export * from './text-codec.ts';
export * from './tree-size.ts';
export * from './merkle.ts';
export * from './proof-plan.ts';
export * from './merkle-verify.ts';
export * from './compact-range.ts';
export * from './tile-path.ts';
export * from './tile-layout.ts';
export * from './entry-bundle.ts';
export * from './ed25519.ts';
export * from './note-verifier.ts';
export * from './note-keys.ts';
export * from './note.ts';
export * from './checkpoint.ts';
export * from './cosignature.ts';
export * from './witness-protocol.ts';
export * from './proof-file.ts';
export * from './commitment.ts';
