/**
 * Who signs the log's checkpoints. Signing sits behind {@link CheckpointSigner} so a bank can put the
 * key in an HSM or a KMS (sign is asynchronous for that reason); the default is a key file in Go's
 * `PRIVATE+KEY+…` format (signing-key-file.ts). Several signers sign each checkpoint during a key
 * rotation's overlap, so verifiers holding either key accept it (docs/log-key-compromise.md).
 */
import {
  formatCheckpoint, formatNote, formatVerifierKey, parseSignerKey, type Checkpoint, type NoteSignature,
} from '../tlog/index.ts';

/** An Ed25519 signed-note key (type 0x01) that signs checkpoints. */
export interface CheckpointSigner {
  /** Key name; Flowguard requires it to equal the log's origin. */
  readonly name: string;
  readonly keyId: number;
  /** `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`: what auditors and witnesses configure. */
  readonly verifierKey: string;
  /** The 64-byte Ed25519 signature of `message` (the checkpoint body). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A signer from Go's private key string `PRIVATE+KEY+<name>+<id>+<base64(0x01 ‖ seed)>`. */
export function signerFromKeyString(signerKey: string): CheckpointSigner {
  const key = parseSignerKey(signerKey);
  return {
    name: key.name,
    keyId: key.keyId,
    verifierKey: formatVerifierKey(key.name, key.publicKey),
    sign: async (message) => key.sign(message),
  };
}

/**
 * Signs a checkpoint with every signer and writes the signed note (c2sp.org/tlog-checkpoint as a
 * c2sp.org/signed-note), signatures in signer order.
 */
export async function signCheckpointNote(checkpoint: Checkpoint, signers: readonly CheckpointSigner[]): Promise<string> {
  const text = formatCheckpoint(checkpoint);
  const bytes = Buffer.from(text, 'utf8');
  const signatures: NoteSignature[] = [];
  for (const signer of signers) {
    signatures.push({ name: signer.name, keyId: signer.keyId, signature: Buffer.from(await signer.sign(bytes)) });
  }
  return formatNote({ text, signatures });
}
