/**
 * The witness's own Ed25519 key, kept in `<state dir>/witness.key` in Go's signer-key format
 * (`PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>`, golang.org/x/mod/sumdb/note), so Go
 * tools can read it. The same seed cosigns as type 0x04 (tlog-cosignature `cosignature/v1`); the
 * verifier key the witness publishes is `<name>+<key ID for 0x04>+<base64(0x04 ‖ public key)>`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createCosigner, decodeBase64, formatSignerKey, formatVerifierKey, generateSeed, isTlogError, parseSignerKey,
  SIGNATURE_TYPE_COSIGNATURE_V1, type NoteSigner,
} from '../tlog/index.ts';
import { writeFileAtomic } from '../atomic-file.ts';
import { WitnessError } from './errors.ts';

/** The key file's name inside the state directory. */
export const WITNESS_KEY_FILE = 'witness.key';

/** A witness identity: the cosigner and the verifier key to hand to logs and auditors. */
export interface WitnessKey {
  readonly name: string;
  readonly cosigner: NoteSigner;
  /** `<name>+<id>+<base64(0x04 ‖ public key)>`: what logs and auditors configure. */
  readonly verifierKey: string;
  /** Whether this call generated the key (first start). */
  readonly created: boolean;
}

/** Options of {@link loadOrCreateWitnessKey}. */
export interface WitnessKeyOptions {
  /** The witness name: names a new key, and must match an existing one. */
  readonly name?: string;
  /** Names a new key when `name` is not given; ignored for an existing key. */
  readonly defaultName?: string;
  /** The cosigner's clock (POSIX seconds); defaults to the system clock. */
  readonly now?: () => bigint;
}

/**
 * Reads the witness key from `stateDir`, or generates one on first start. A key name that differs
 * from `options.name` is an error: renaming a witness means a new key.
 */
export async function loadOrCreateWitnessKey(stateDir: string, options: WitnessKeyOptions = {}): Promise<WitnessKey> {
  const { name, now } = options;
  const path = join(stateDir, WITNESS_KEY_FILE);
  let text: string | undefined;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new WitnessError('invalid_configuration', `cannot read ${path}: ${(error as Error).message}`, {}, { cause: error });
    }
  }
  if (text === undefined) {
    const newName = name ?? options.defaultName;
    if (newName === undefined) throw new WitnessError('invalid_configuration', `no witness key in ${stateDir}; give a name to create one`);
    const seed = generateSeed();
    const key = witnessKeyOf(newName, seed, true, now);
    await writeFileAtomic(path, `${formatSignerKey(newName, seed)}\n`);
    return key;
  }
  const { name: keyName, seed } = parseWitnessSignerKey(text, path);
  if (name !== undefined && name !== keyName) {
    throw new WitnessError('invalid_configuration', `${path} holds the key of witness ${keyName}, not ${name}; a new name needs a new state directory`);
  }
  return witnessKeyOf(keyName, seed, false, now);
}

function witnessKeyOf(name: string, seed: Uint8Array, created: boolean, now?: () => bigint): WitnessKey {
  try {
    const cosigner = createCosigner({ name, seed, ...(now ? { now } : {}) });
    return { name, cosigner, verifierKey: formatVerifierKey(name, cosigner.publicKey, SIGNATURE_TYPE_COSIGNATURE_V1), created };
  } catch (cause) {
    throw new WitnessError('invalid_configuration', `witness name ${JSON.stringify(name)} cannot be used: ${(cause as Error).message}`, {}, { cause });
  }
}

/** Parses Go's signer key string (the library checks the key ID) and extracts the seed. */
function parseWitnessSignerKey(text: string, path: string): { name: string; seed: Buffer } {
  try {
    const signer = parseSignerKey(text);
    // After "PRIVATE+KEY+<name>+" come 8 hex digits of key ID and a "+", then base64(0x01 ‖ seed).
    const data = text.slice(`PRIVATE+KEY+${signer.name}+`.length + 9);
    return { name: signer.name, seed: decodeBase64(data, 'malformed_key', 'witness key').subarray(1) };
  } catch (cause) {
    const message = isTlogError(cause) ? cause.message : String(cause);
    throw new WitnessError('invalid_configuration', `${path} is not a witness key (PRIVATE+KEY+…): ${message}`, {}, { cause });
  }
}
