/**
 * Staff passwords, hashed with argon2id. When the username is unknown the login still verifies a
 * password against a constant dummy hash, so the response time does not tell who has an account.
 */
import { Algorithm, hash, verify, type Options } from '@node-rs/argon2';

/**
 * OWASP Password Storage Cheat Sheet, argon2id minimum: 19 MiB of memory, 2 iterations, 1 degree
 * of parallelism. Raising them later is safe: each stored hash carries its own parameters.
 */
export const PASSWORD_HASH_OPTIONS: Options = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
};

/**
 * An argon2id hash of a password nobody knows, made with PASSWORD_HASH_OPTIONS (a test keeps the two
 * in step, so verifying it costs what verifying a real hash costs).
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$6ZrypClUScRitO272Dbw9Q$UfZjuru5vUuVM7mIyxpoEF3AnxxYl1kEwhTwNlVATYk';

/** Hashes a new password for `employees.password_hash`. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/**
 * Verifies a password against a stored hash, or against the dummy hash when there is no account
 * (`storedHash` null), in which case the answer is always false. A malformed stored hash is a
 * failed login, never an exception that would answer differently.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  try {
    const ok = await verify(storedHash ?? DUMMY_PASSWORD_HASH, password);
    return ok && storedHash !== null;
  } catch {
    return false;
  }
}
