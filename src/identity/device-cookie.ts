/**
 * Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): after an employee
 * signs in, the browser gets a cookie that proves "this client has signed in as this user before".
 * A sign-in that carries a valid one is judged by that device's own failure budget, never by the
 * account's or the address's, so a colleague guessing at the account from elsewhere cannot keep its
 * owner out. The cookie is an HMAC-SHA256 over the username, a random nonce and the issue time with
 * the server's device secret (config `deviceSecret`); nothing about it is stored on the server.
 *
 * Format: `v1.<issued, seconds since the epoch>.<nonce, 16 random bytes base64url>.<mac base64url>`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from './tokens.ts';

/** A device stays trusted for 180 days after its last sign-in (each sign-in issues a fresh cookie). */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 3600;

/** The cookie goes only to the sign-in endpoint: no other request needs it. */
export const DEVICE_COOKIE_PATH = '/api/v1/sessions';

const PREFIX = 'fg_device_';
const VERSION = 'v1';

/** A trusted device, as the cookie proves it: its nonce names the device's own failure count. */
export interface TrustedDevice { nonce: string }

/**
 * The cookie's name for a username. One per user, so several tellers sharing a branch PC each keep
 * theirs; the name is keyed with the secret so it does not say which usernames the browser holds.
 */
export function deviceCookieName(secret: string, username: string): string {
  return PREFIX + mac(secret, `name\n${fold(username)}`).slice(0, 16).replace(/[-_]/g, 'x');
}

/** A new device cookie value for `username`, issued at `now`. */
export function issueDeviceCookie(secret: string, username: string, now: Date): string {
  const issued = Math.floor(now.getTime() / 1000).toString();
  const nonce = randomBytes(16).toString('base64url');
  return `${VERSION}.${issued}.${nonce}.${mac(secret, signed(username, issued, nonce))}`;
}

/**
 * The trusted device a cookie value proves for `username` at `now`, or null when it is missing,
 * malformed, for another user, signed with another secret, or older than its maximum age.
 */
export function verifyDeviceCookie(secret: string, username: string, value: string | undefined, now: Date): TrustedDevice | null {
  const parts = value?.split('.');
  if (!parts || parts.length !== 4) return null;
  const [version, issued, nonce, tag] = parts as [string, string, string, string];
  if (version !== VERSION || !/^[0-9]{1,12}$/.test(issued) || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) return null;
  if (!safeEqual(tag, mac(secret, signed(username, issued, nonce)))) return null;
  // Only the server can have signed `issued`, so a time ahead of `now` means a clock set back: not an age.
  if (now.getTime() / 1000 - Number(issued) > DEVICE_COOKIE_MAX_AGE_SECONDS) return null;
  return { nonce };
}

function signed(username: string, issued: string, nonce: string): string {
  return `flowguard device ${VERSION}\n${fold(username)}\n${issued}\n${nonce}`;
}

/** Usernames are compared as the throttle keys are: trimmed and case-folded. */
function fold(username: string): string {
  return username.trim().toLowerCase();
}

function mac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('base64url');
}
