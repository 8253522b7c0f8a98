/**
 * Ed25519 (RFC 8032) through node:crypto, from the raw 32-byte seeds and public keys the C2SP formats
 * carry. node:crypto takes keys as KeyObjects, so raw bytes are wrapped in the fixed DER prefixes of
 * PKCS #8 and SubjectPublicKeyInfo for id-Ed25519 (RFC 8410 §7). Signing is deterministic, so the
 * same seed and message give the same signature as Go's crypto/ed25519.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { TlogError } from './errors.ts';

/** Bytes in an Ed25519 seed, the private key as RFC 8032 §5.1.5 and Go's NewKeyFromSeed take it. */
export const ED25519_SEED_SIZE = 32;
/** Bytes in an Ed25519 public key (RFC 8032 §5.1.5). */
export const ED25519_PUBLIC_KEY_SIZE = 32;
/** Bytes in an Ed25519 signature (RFC 8032 §5.1.6). */
export const ED25519_SIGNATURE_SIZE = 64;

/** RFC 8410: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** RFC 8410: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING pub }. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function assertLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) {
    throw new TlogError('malformed_key', `an Ed25519 ${what} is ${length} bytes, got ${bytes.length}`);
  }
}

/** A private KeyObject from a 32-byte seed. */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  assertLength(seed, ED25519_SEED_SIZE, 'seed');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** A public KeyObject from 32 raw public-key bytes. */
export function publicKeyFromBytes(publicKey: Uint8Array): KeyObject {
  assertLength(publicKey, ED25519_PUBLIC_KEY_SIZE, 'public key');
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new TlogError('malformed_key', 'the 32 bytes are not an Ed25519 public key', { cause });
  }
}

/** The raw 32-byte public key of a seed. */
export function publicKeyOfSeed(seed: Uint8Array): Buffer {
  const spki = createPublicKey(privateKeyFromSeed(seed)).export({ format: 'der', type: 'spki' });
  return spki.subarray(SPKI_PREFIX.length);
}

/** A new random seed from the operating system's CSPRNG. */
export function generateSeed(): Buffer {
  return randomBytes(ED25519_SEED_SIZE);
}

/** The 64-byte Ed25519 signature of `message`. */
export function signEd25519(key: KeyObject, message: Uint8Array): Buffer {
  return sign(null, message, key);
}

/** Whether `signature` is a valid Ed25519 signature of `message`; false for wrong-length input. */
export function verifyEd25519(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === ED25519_SIGNATURE_SIZE && verify(null, message, key, signature);
}
