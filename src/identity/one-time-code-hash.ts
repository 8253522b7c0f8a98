/**
 * The one way a one-time code is stored (`verification_codes.code_hash`), for portal login codes and
 * counter codes alike: HMAC-SHA-256 keyed by the row's random id over the code. Keying by the id
 * makes equal codes hash differently and keeps the plaintext out of the store and its backups.
 *
 * Before issue 10 counter codes were stored as SHA-256(`id:code`); HMAC is the standard keyed
 * construction (no framing ambiguity, no length-extension shape), so it is the one kept. Codes live
 * five minutes (config.codeTtlSeconds), so rows hashed the old way need no migration: a counter code
 * sent before the upgrade simply has to be sent again.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The stored hash of `code` for the code row `codeId` (hex). */
export function oneTimeCodeHash(codeId: string, code: string): string {
  return createHmac('sha256', codeId).update(code, 'utf8').digest('hex');
}

/** Whether `code` is the one stored as `codeHash` for row `codeId`; compares in constant time. */
export function matchesOneTimeCode(codeHash: string, codeId: string, code: string): boolean {
  const expected = Buffer.from(oneTimeCodeHash(codeId, code), 'utf8');
  const stored = Buffer.from(codeHash, 'utf8');
  return stored.length === expected.length && timingSafeEqual(stored, expected);
}
