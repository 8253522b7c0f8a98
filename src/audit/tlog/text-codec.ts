/**
 * The strict text encodings the C2SP formats share: standard padded base64 (RFC 4648 §4) and ASCII
 * decimals with no leading zeroes. Decoders accept only the canonical form, so one value has one
 * spelling and a signed text cannot be re-spelled without changing its bytes.
 */
import { timingSafeEqual } from 'node:crypto';
import { TlogError, type TlogErrorCode } from './errors.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/** Largest value of an unsigned 64-bit integer: RFC 9162 tree sizes and indexes are uint64. */
export const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Decodes canonical standard base64; anything else (missing padding, URL alphabet, non-zero
 * trailing bits, whitespace) throws `code`, naming `what` in the message.
 */
export function decodeBase64(text: string, code: TlogErrorCode, what: string): Buffer {
  if (!BASE64.test(text)) {
    throw new TlogError(code, `${what} is not standard padded base64 (RFC 4648 §4): ${quote(text)}`);
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) {
    throw new TlogError(code, `${what} is not canonical base64 (non-zero padding bits): ${quote(text)}`);
  }
  return bytes;
}

/** Decodes canonical base64 that must hold exactly `length` bytes (a hash, a key). */
export function decodeBase64Bytes(text: string, length: number, code: TlogErrorCode, what: string): Buffer {
  const bytes = decodeBase64(text, code, what);
  if (bytes.length !== length) {
    throw new TlogError(code, `${what} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Parses an ASCII decimal with no leading zeroes (except `0` itself) that is at most `max`. */
export function parseDecimal(text: string, code: TlogErrorCode, what: string, max = UINT64_MAX): bigint {
  if (!DECIMAL.test(text)) {
    throw new TlogError(code, `${what} must be a decimal with no sign and no leading zeroes: ${quote(text)}`);
  }
  const value = BigInt(text);
  if (value > max) {
    throw new TlogError(code, `${what} ${text} is larger than the maximum ${max}`);
  }
  return value;
}

/** Compares two byte strings in constant time for equal lengths (hashes, signatures). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Decodes UTF-8, throwing `code` on any invalid sequence instead of substituting U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, code: TlogErrorCode, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new TlogError(code, `${what} is not valid UTF-8`, { cause });
  }
}

/** Shortens untrusted text for an error message. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
