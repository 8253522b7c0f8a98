/**
 * How an employee appears inside an entry from version 2 on: a keyed pseudonym and a commitment,
 * never a name or an employee ID (issue 10 item 1). The entry bytes reach log readers and customers,
 * who must not learn who the employee is; the bank can still prove it by releasing the opening.
 *
 * - Pseudonym: `P-` + the first 64 bits of HMAC-SHA-256(pseudonym key, "fg-pseudonym/v1\n" ‖ ID), hex,
 *   in two groups of eight. The hyphen matters: 16 hex digits are all decimal about once in 1,700
 *   employees, and one in ten of those passes Luhn, so an unbroken run would read as a card number
 *   and the record (rightly) refuses entries holding one.
 *   The same employee has the same pseudonym in every entry, so a reader can tell "the same person
 *   looked twice" without knowing who. Employee IDs are few and sequential: without the key anyone
 *   could compute them, so the key is a secret of its own, kept apart from the log signing key.
 * - Commitment: SHA-256("fg-actor/v1\n" ‖ nonce ‖ UTF-8 ID), base64, with a fresh secret 32-byte nonce
 *   per employee per entry (independent of the entry's salt). The opening (ID, nonce) is stored beside
 *   the entry, outside the leaf, shredded with it, and released only through a recorded reveal.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createFileOnce } from './atomic-file.ts';
import { dirname, resolve } from 'node:path';
import { FlowguardError } from '../errors.ts';

/** 64 bits: collisions among a bank's employees are out of reach (birthday bound ~2^32 employees). */
export const PSEUDONYM_HEX_DIGITS = 16;
export const ACTOR_NONCE_SIZE = 32;
/** HMAC-SHA-256 keys shorter than the hash weaken it (RFC 2104 §3). */
export const PSEUDONYM_KEY_SIZE = 32;
const PSEUDONYM_DOMAIN = 'fg-pseudonym/v1\n';
const COMMITMENT_DOMAIN = 'fg-actor/v1\n';

export const DEFAULT_PSEUDONYM_KEY_FILE = './data/pseudonym.key';

/** A pseudonym as entries carry it, e.g. `P-3fa2c9e0-7b41d865`. */
export const KEYED_PSEUDONYM = /^P-[0-9a-f]{8}-[0-9a-f]{8}$/;

/** The keyed pseudonym of an employee ID. */
export function pseudonymOf(key: Buffer, employeeId: string): string {
  const mac = createHmac('sha256', key).update(PSEUDONYM_DOMAIN).update(employeeId, 'utf8').digest('hex');
  return `P-${mac.slice(0, PSEUDONYM_HEX_DIGITS / 2)}-${mac.slice(PSEUDONYM_HEX_DIGITS / 2, PSEUDONYM_HEX_DIGITS)}`;
}

/** The commitment to an employee ID under `nonce`, base64. */
export function actorCommitment(nonce: Buffer, employeeId: string): string {
  return createHash('sha256').update(COMMITMENT_DOMAIN).update(nonce).update(employeeId, 'utf8').digest('base64');
}

/** Whether (employeeId, nonce) opens `commitment`. */
export function opensCommitment(commitment: string, employeeId: string, nonce: Buffer): boolean {
  const expected = Buffer.from(actorCommitment(nonce, employeeId), 'base64');
  const given = Buffer.from(commitment, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A fresh secret nonce for one employee in one entry. */
export function freshActorNonce(): Buffer {
  return randomBytes(ACTOR_NONCE_SIZE);
}

let currentKey: Buffer | null = null;

/**
 * Sets the process's pseudonym key (once, at start, from `loadPseudonymKey`). Entries are written by
 * many callers through `appendAuditEntry(db, …)`; the key is a process setting like the log key.
 */
export function usePseudonymKey(key: Buffer): void {
  if (key.length < PSEUDONYM_KEY_SIZE) throw new FlowguardError('internal', `The pseudonym key must be at least ${PSEUDONYM_KEY_SIZE} bytes.`);
  currentKey = Buffer.from(key);
}

/**
 * The key in use. A process that never set one (a test, a one-off CLI run) gets a random key of its
 * own: its pseudonyms are stable within the process only, and the openings still say who is who.
 */
export function pseudonymKey(): Buffer {
  currentKey ??= randomBytes(PSEUDONYM_KEY_SIZE);
  return currentKey;
}

const DEMO_HEADER = [
  '# DEMO ONLY — Flowguard pseudonym key, generated automatically on first start.',
  '# It turns employee IDs into the pseudonyms in audit entries; anyone holding it can tell who is',
  '# behind a pseudonym. A bank sets FLOWGUARD_PSEUDONYM_KEY (base64, 32 bytes) from its secret store,',
  '# apart from the log signing key.',
];

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length < PSEUDONYM_KEY_SIZE) {
    throw new FlowguardError('internal', `${where} must hold at least ${PSEUDONYM_KEY_SIZE} bytes, base64 (generate one with: openssl rand -base64 32).`);
  }
  return key;
}

/**
 * Reads the pseudonym key: FLOWGUARD_PSEUDONYM_KEY (base64), else the key file (FLOWGUARD_PSEUDONYM_KEY_FILE,
 * default ./data/pseudonym.key), generated DEMO ONLY when missing and `create` is set.
 */
export async function loadPseudonymKey(env: NodeJS.ProcessEnv = process.env, options: { create?: boolean; log?: (message: string) => void } = {}): Promise<Buffer> {
  if (env.FLOWGUARD_PSEUDONYM_KEY) return decodeKey(env.FLOWGUARD_PSEUDONYM_KEY, 'FLOWGUARD_PSEUDONYM_KEY');
  const file = resolve(env.FLOWGUARD_PSEUDONYM_KEY_FILE ?? DEFAULT_PSEUDONYM_KEY_FILE);
  try {
    return keyFromFile(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!options.create) throw new FlowguardError('internal', `The pseudonym key file ${file} does not exist; set FLOWGUARD_PSEUDONYM_KEY.`);
  }
  if (await createDemoKeyFile(file)) options.log?.(`Generated a DEMO ONLY pseudonym key in ${file}; a bank sets FLOWGUARD_PSEUDONYM_KEY.`);
  return keyFromFile(await readFile(file, 'utf8'), file);
}

function keyFromFile(text: string, file: string): Buffer {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length !== 1) throw new FlowguardError('internal', `The pseudonym key file ${file} must hold exactly one base64 line (found ${lines.length}).`);
  return decodeKey(lines[0]!, `The pseudonym key file ${file}`);
}

/** Writes a demo key unless another process did first (same pattern as the log key file). */
async function createDemoKeyFile(file: string): Promise<boolean> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  return createFileOnce(file, [...DEMO_HEADER, randomBytes(PSEUDONYM_KEY_SIZE).toString('base64'), ''].join('\n'));
}
