/**
 * The file-based default signer: one Go `PRIVATE+KEY+…` string per file, with `#` comment lines.
 * On a demo's first start the file is generated, marked DEMO ONLY in its comments, created
 * atomically (written aside, fsynced, then linked into place so two processes starting together
 * agree on one key), mode 0600.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { generateNoteKey, isTlogError } from '../tlog/index.ts';
import { FlowguardError } from '../../errors.ts';
import { createFileOnce } from '../atomic-file.ts';
import { signerFromKeyString, type CheckpointSigner } from './checkpoint-signer.ts';

/** Where a log line about a generated key goes. */
export type KeyFileLogger = (message: string) => void;

const DEMO_HEADER = [
  '# DEMO ONLY — Flowguard log signing key, generated automatically on first start.',
  '# Anyone holding this file can sign checkpoints in the bank\'s name. A bank generates its own key',
  '# (or uses an HSM/KMS signer), keeps it off the application host, and follows',
  '# docs/log-key-compromise.md for rotation and compromise. Format: Go golang.org/x/mod/sumdb/note.',
];

/** Parses a key file's text: comment and blank lines are ignored; exactly one key string remains. */
export function parseKeyFile(text: string, path: string): CheckpointSigner {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length !== 1) throw new FlowguardError('log_key_invalid', `The log key file ${path} must hold exactly one PRIVATE+KEY+… line (found ${lines.length}).`);
  try {
    return signerFromKeyString(lines[0]!);
  } catch (error) {
    throw new FlowguardError('log_key_invalid', `The log key file ${path} is not a Go note signer key: ${isTlogError(error) ? error.message : String(error)}.`, {}, { cause: error });
  }
}

/**
 * Loads the signing key in `path`. If the file is missing and `create` is set, generates a demo key
 * named `origin`, says so through `log`, and returns it. The key's name must equal `origin`.
 */
export async function loadSigningKeyFile(path: string, origin: string, options: { create?: boolean; log?: KeyFileLogger } = {}): Promise<CheckpointSigner & { created: boolean }> {
  const file = resolve(path);
  let text: string;
  let created = false;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new FlowguardError('log_key_invalid', `Cannot read the log key file ${file}: ${(error as Error).message}.`, {}, { cause: error });
    if (!options.create) throw new FlowguardError('log_key_invalid', `The log key file ${file} does not exist; set FLOWGUARD_LOG_KEY_FILE to the bank's key.`);
    created = await createDemoKeyFile(file, origin);
    text = await readFile(file, 'utf8');
    if (created) options.log?.(`Generated a DEMO ONLY log signing key in ${file} for origin ${origin}; a bank must replace it (docs/log-key-compromise.md).`);
  }
  const signer = parseKeyFile(text, file);
  if (signer.name !== origin) {
    throw new FlowguardError('log_key_invalid', `The log key in ${file} is named "${signer.name}" but the log origin is "${origin}"; the key name must equal the origin (FLOWGUARD_LOG_ORIGIN).`);
  }
  return { ...signer, created };
}

/** Writes a new demo key to `file` unless one appeared meanwhile; returns whether this call created it. */
async function createDemoKeyFile(file: string, origin: string): Promise<boolean> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const { signerKey, verifierKey } = generateNoteKey(origin);
  const body = [...DEMO_HEADER, `# verifier key: ${verifierKey}`, signerKey, ''].join('\n');
  return createFileOnce(file, body); // false if another process won the race: use its key
}

/** Loads the current key and any keys being rotated in, current first. */
export async function loadLogSigners(config: { keyFile: string; nextKeyFiles: readonly string[]; origin: string; createDemoKey: boolean }, log?: KeyFileLogger): Promise<CheckpointSigner[]> {
  const current = await loadSigningKeyFile(config.keyFile, config.origin, { create: config.createDemoKey, ...(log ? { log } : {}) });
  const next = await Promise.all(config.nextKeyFiles.map((file) => loadSigningKeyFile(file, config.origin)));
  const all = [current, ...next];
  const ids = new Set(all.map((s) => s.keyId));
  if (ids.size !== all.length) throw new FlowguardError('log_key_invalid', 'The same log key is configured twice (FLOWGUARD_LOG_KEY_FILE and FLOWGUARD_LOG_NEXT_KEY_FILE).');
  return all;
}
