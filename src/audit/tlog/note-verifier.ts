/**
 * Signers and verifiers of c2sp.org/signed-note, and the Ed25519 note key type (0x01). A key is
 * known by its name and a 32-bit key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4], big-endian
 * (signed-note §Signatures); the same interfaces serve cosignatures (type 0x04, cosignature.ts).
 */
import { createHash } from 'node:crypto';
import { TlogError } from './errors.ts';
import { privateKeyFromSeed, publicKeyFromBytes, publicKeyOfSeed, signEd25519, verifyEd25519 } from './ed25519.ts';

/** signed-note §Signature types: Ed25519 note signatures. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** signed-note §Signature types: timestamped Ed25519 witness cosignatures (tlog-cosignature). */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

/** Checks signatures by one key on a note's text (the bytes before the blank line, final newline included). */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** Signs a note's text with one key. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Buffer;
}

/** Unicode spaces (Go's unicode.IsSpace), `+`, control characters notes forbid, lone surrogates. */
const FORBIDDEN_IN_NAME = /[\p{White_Space}+\p{Cc}\p{Cs}]/u;

/**
 * signed-note §Format: key names are non-empty and contain no Unicode space and no `+`; control
 * characters and unpaired surrogates could never appear in a valid note either.
 */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !FORBIDDEN_IN_NAME.test(name);
}

/** Throws `malformed_key` unless `name` is a valid key name. */
export function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new TlogError('malformed_key', `key name ${JSON.stringify(name)} must be non-empty, with no spaces and no "+"`);
  }
}

/** SHA-256(name ‖ 0x0A ‖ type ‖ publicKey)[:4] as an unsigned 32-bit number. */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256').update(name, 'utf8').update('\n').update(Buffer.of(type)).update(publicKey).digest();
  return digest.readUInt32BE(0);
}

/** A key ID as the 8 lower-case hex digits used in key strings and messages. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** An Ed25519 note signer (type 0x01) from a 32-byte seed. */
export function createNoteSigner(name: string, seed: Uint8Array): NoteSigner & { readonly publicKey: Buffer } {
  assertKeyName(name);
  const key = privateKeyFromSeed(seed);
  const publicKey = publicKeyOfSeed(seed);
  const keyId = computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKey);
  return { name, keyId, publicKey, sign: (text) => signEd25519(key, text) };
}

/** An Ed25519 note verifier (type 0x01) from a 32-byte public key. */
export function createNoteVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  assertKeyName(name);
  const key = publicKeyFromBytes(publicKey);
  const keyId = computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKey);
  return { name, keyId, verify: (text, signature) => verifyEd25519(key, text, signature) };
}
