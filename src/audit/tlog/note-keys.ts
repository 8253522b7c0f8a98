/**
 * Key strings of c2sp.org/signed-note and Go's golang.org/x/mod/sumdb/note:
 * verifier keys `<name>+<hex key ID>+<base64(type ‖ public key)>` and Go's private signer keys
 * `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>`. Base64 may itself contain `+`, so a key
 * string is split on its first separators only; the key ID is always recomputed and checked.
 */
import { TlogError } from './errors.ts';
import { createCosignatureVerifier } from './cosignature.ts';
import { generateSeed, publicKeyOfSeed } from './ed25519.ts';
import {
  assertKeyName, computeKeyId, createNoteSigner, createNoteVerifier, formatKeyId,
  SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519, type NoteSigner, type NoteVerifier,
} from './note-verifier.ts';
import { decodeBase64 } from './text-codec.ts';

const PRIVATE_KEY_PREFIX = 'PRIVATE+KEY+';
const KEY_ID = /^[0-9a-fA-F]{8}$/;

/** Splits `name+id+data` on the first two `+` and checks the parts' syntax. */
function splitKey(text: string, what: string): { name: string; keyId: number; type: number; key: Buffer } {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new TlogError('malformed_key', `${what} must look like <name>+<8 hex digits>+<base64>`);
  const name = text.slice(0, first);
  const idText = text.slice(first + 1, second);
  assertKeyName(name);
  if (!KEY_ID.test(idText)) throw new TlogError('malformed_key', `${what} key ID ${JSON.stringify(idText)} is not 8 hex digits`);
  const data = decodeBase64(text.slice(second + 1), 'malformed_key', `${what} key data`);
  if (data.length < 1) throw new TlogError('malformed_key', `${what} has no key data`);
  return { name, keyId: Number.parseInt(idText, 16), type: data[0]!, key: data.subarray(1) };
}

function assertKeyId(actual: number, computed: number, name: string): void {
  if (actual !== computed) {
    throw new TlogError('malformed_key', `key ID ${formatKeyId(actual)} of ${name} does not match its key (expected ${formatKeyId(computed)}); the key string is corrupted`);
  }
}

/**
 * Parses a verifier key: type 0x01 gives an Ed25519 note verifier (log keys), type 0x04 a
 * cosignature/v1 verifier (witness keys). Throws `malformed_key` otherwise.
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const { name, keyId, type, key } = splitKey(vkey, 'verifier key');
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new TlogError('malformed_key', `verifier key ${name} has signature type 0x${type.toString(16).padStart(2, '0')}; only 0x01 (Ed25519) and 0x04 (cosignature/v1) are supported`);
  }
  assertKeyId(keyId, computeKeyId(name, type, key), name);
  return type === SIGNATURE_TYPE_ED25519 ? createNoteVerifier(name, key) : createCosignatureVerifier(name, key);
}

/** Writes a verifier key string for a 32-byte Ed25519 public key of the given signature type. */
export function formatVerifierKey(name: string, publicKey: Uint8Array, type = SIGNATURE_TYPE_ED25519): string {
  assertKeyName(name);
  const data = Buffer.concat([Buffer.of(type), publicKey]);
  return `${name}+${formatKeyId(computeKeyId(name, type, publicKey))}+${data.toString('base64')}`;
}

/** Parses Go's `PRIVATE+KEY+…` signer key (Ed25519, type 0x01 only, as Go defines it). */
export function parseSignerKey(skey: string): NoteSigner & { readonly publicKey: Buffer } {
  if (!skey.startsWith(PRIVATE_KEY_PREFIX)) {
    throw new TlogError('malformed_key', 'a signer key starts with PRIVATE+KEY+');
  }
  const { name, keyId, type, key } = splitKey(skey.slice(PRIVATE_KEY_PREFIX.length), 'signer key');
  if (type !== SIGNATURE_TYPE_ED25519) {
    throw new TlogError('malformed_key', `signer key ${name} has type 0x${type.toString(16)}; Go's format defines only 0x01 (Ed25519)`);
  }
  const signer = createNoteSigner(name, key);
  assertKeyId(keyId, signer.keyId, name);
  return signer;
}

/** Writes Go's private signer key string for an Ed25519 seed. Keep it secret. */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  assertKeyName(name);
  const keyId = computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKeyOfSeed(seed));
  const data = Buffer.concat([Buffer.of(SIGNATURE_TYPE_ED25519), seed]);
  return `${PRIVATE_KEY_PREFIX}${name}+${formatKeyId(keyId)}+${data.toString('base64')}`;
}

/** A new Ed25519 note key pair for `name`, as Go's note.GenerateKey writes it. */
export function generateNoteKey(name: string): { signerKey: string; verifierKey: string } {
  const seed = generateSeed();
  return { signerKey: formatSignerKey(name, seed), verifierKey: formatVerifierKey(name, publicKeyOfSeed(seed)) };
}
