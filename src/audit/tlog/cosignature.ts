/**
 * c2sp.org/tlog-cosignature, Ed25519 `cosignature/v1` (signature type 0x04). The witness signs
 * `cosignature/v1\ntime <unix seconds>\n` followed by the checkpoint body, and the note signature is
 * the 8-byte big-endian timestamp ‖ the 64-byte Ed25519 signature (`timestamped_signature`).
 */
import { TlogError } from './errors.ts';
import { ED25519_SIGNATURE_SIZE, privateKeyFromSeed, publicKeyFromBytes, publicKeyOfSeed, signEd25519, verifyEd25519 } from './ed25519.ts';
import { assertKeyName, computeKeyId, SIGNATURE_TYPE_COSIGNATURE_V1, type NoteSigner, type NoteVerifier } from './note-verifier.ts';

/** tlog-cosignature §Ed25519 signed message: the header line giving domain separation. */
export const COSIGNATURE_V1_HEADER = 'cosignature/v1';
/** Bytes of an Ed25519 `timestamped_signature`: u64 timestamp ‖ 64-byte signature. */
export const COSIGNATURE_V1_SIZE = 8 + ED25519_SIGNATURE_SIZE;
/** tlog-cosignature: the timestamp "MUST NOT exceed 2^63 - 1". */
export const MAX_COSIGNATURE_TIMESTAMP = (1n << 63n) - 1n;

/** A decoded `timestamped_signature`. */
export interface TimestampedSignature {
  readonly timestamp: bigint;
  readonly signature: Buffer;
}

function assertTimestamp(timestamp: bigint): void {
  if (timestamp < 0n || timestamp > MAX_COSIGNATURE_TIMESTAMP) {
    throw new TlogError('malformed_cosignature', `cosignature timestamp ${timestamp} is not between 0 and 2^63-1`);
  }
}

/** The exact bytes a cosigner signs for `checkpointText` (the note text, final newline included). */
export function cosignedMessage(timestamp: bigint, checkpointText: Uint8Array | string): Buffer {
  assertTimestamp(timestamp);
  return Buffer.concat([Buffer.from(`${COSIGNATURE_V1_HEADER}\ntime ${timestamp}\n`), Buffer.from(checkpointText)]);
}

/** Splits a cosignature (the note signature bytes after the key ID) into timestamp and signature. */
export function parseCosignature(bytes: Uint8Array): TimestampedSignature {
  if (bytes.length !== COSIGNATURE_V1_SIZE) {
    throw new TlogError('malformed_cosignature', `a cosignature/v1 signature is ${COSIGNATURE_V1_SIZE} bytes, got ${bytes.length}`);
  }
  const buffer = Buffer.from(bytes);
  const timestamp = buffer.readBigUInt64BE(0);
  assertTimestamp(timestamp);
  return { timestamp, signature: buffer.subarray(8) };
}

/** The key ID of a cosigner: SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]. */
export function cosignerKeyId(name: string, publicKey: Uint8Array): number {
  return computeKeyId(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey);
}

/** Options of {@link createCosigner}: the clock is injectable so tests and witnesses control time. */
export interface CosignerOptions {
  readonly name: string;
  readonly seed: Uint8Array;
  /** Current POSIX time in whole seconds; defaults to the system clock. */
  readonly now?: () => bigint;
}

/** A witness signer: `sign(text)` returns timestamp ‖ signature over {@link cosignedMessage}. */
export function createCosigner(options: CosignerOptions): NoteSigner & { readonly publicKey: Buffer } {
  const { name, seed, now = () => BigInt(Math.floor(Date.now() / 1000)) } = options;
  assertKeyName(name);
  const key = privateKeyFromSeed(seed);
  const publicKey = publicKeyOfSeed(seed);
  return {
    name,
    keyId: cosignerKeyId(name, publicKey),
    publicKey,
    sign(text) {
      const timestamp = now();
      const prefix = Buffer.alloc(8);
      prefix.writeBigUInt64BE(timestamp);
      return Buffer.concat([prefix, signEd25519(key, cosignedMessage(timestamp, text))]);
    },
  };
}

/** Verifies cosignature/v1 signatures of the cosigner `name` with the 32-byte Ed25519 `publicKey`. */
export function createCosignatureVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  assertKeyName(name);
  const key = publicKeyFromBytes(publicKey);
  return {
    name,
    keyId: cosignerKeyId(name, publicKey),
    verify(text, bytes) {
      if (bytes.length !== COSIGNATURE_V1_SIZE) return false;
      const timestamp = Buffer.from(bytes).readBigUInt64BE(0);
      if (timestamp > MAX_COSIGNATURE_TIMESTAMP) return false;
      return verifyEd25519(key, cosignedMessage(timestamp, text), bytes.subarray(8));
    },
  };
}
