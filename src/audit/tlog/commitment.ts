/**
 * The leaf data of an audit entry: a salted commitment, never the content (transparency-log.md §What
 * the leaves hold). Leaf = `fg-entry/v1 ` ‖ base64(SHA-256(salt ‖ entry bytes)), ASCII, no newline.
 * Public bundles then reveal only volume and timing; revealing entry and salt proves inclusion;
 * deleting both after retention leaves the tree verifiable (crypto-shredding).
 */
import { createHash, randomBytes } from 'node:crypto';
import { TlogError } from './errors.ts';
import { equalBytes } from './text-codec.ts';

/** Version tag that starts every Flowguard leaf; a new format gets a new tag, never a reused one. */
export const COMMITMENT_PREFIX = 'fg-entry/v1 ';
/** Bytes of random salt per entry: 256 bits, so a commitment cannot be brute-forced from guesses. */
export const SALT_SIZE = 32;

/** 32 fresh random bytes from the operating system's CSPRNG, to store beside the entry. */
export function newSalt(): Buffer {
  return randomBytes(SALT_SIZE);
}

/** The leaf data committing to `entryBytes` (the canonical JCS bytes as stored) under `salt`. */
export function entryCommitment(salt: Uint8Array, entryBytes: Uint8Array): Buffer {
  if (salt.length !== SALT_SIZE) {
    throw new TlogError('invalid_argument', `salt must be ${SALT_SIZE} bytes, got ${salt.length}`);
  }
  const digest = createHash('sha256').update(salt).update(entryBytes).digest('base64');
  return Buffer.from(COMMITMENT_PREFIX + digest, 'ascii');
}

/**
 * Checks that a revealed entry and salt are what leaf data `leaf` commits to. Throws
 * `commitment_mismatch` otherwise — the entry was altered, or the salt or leaf belong to another entry.
 */
export function checkCommitment(leaf: Uint8Array, salt: Uint8Array, entryBytes: Uint8Array): void {
  if (!equalBytes(entryCommitment(salt, entryBytes), leaf)) {
    throw new TlogError('commitment_mismatch', 'the entry and salt do not match the leaf in the log; the entry was changed or belongs to another leaf');
  }
}
