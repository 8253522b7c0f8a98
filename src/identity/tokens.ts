/**
 * The secrets identity hands out (session tokens, CSRF tokens) and how they are compared. Only
 * node:crypto is used; comparisons of secrets are constant-time so their timing reveals nothing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes: 256 bits, beyond any guessing (OWASP Session Management: at least 64 bits). */
export const TOKEN_BYTES = 32;

/** A fresh random token, base64url without padding (43 characters). */
export function randomToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** True when a string has the shape `randomToken()` produces; cheap to check before any lookup. */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** Hex SHA-256 of a UTF-8 string: what the store keeps instead of a bearer secret. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Compares two strings in time that does not depend on where they differ. Both sides are hashed
 * first so that inputs of different lengths are compared without leaking the expected length.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
