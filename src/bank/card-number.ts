/**
 * UnionPay card numbers (银联卡号): a 6-digit issuer identification number (BIN) starting with 62, an
 * account part, and a Luhn check digit (ISO/IEC 7812-1 Annex B). Debit cards are usually 19 digits,
 * credit cards 16.
 *
 * The demo bank's own cards are numbered from an account serial through a bijective scramble, so
 * every card in a bank of any size is distinct without keeping a set, and consecutive accounts do
 * not get consecutive card numbers.
 */
import type { Random } from './prng.ts';
import { isLuhnValid as isFullLuhnValid } from '../privacy/full-numbers.ts';

export interface CardBin {
  readonly bin: string;
  readonly length: 16 | 19;
  readonly kind: 'debit' | 'savings' | 'credit';
}

/** BINs of the fictional demo bank (流水卫士演示银行). Real-looking prefixes; no real bank is meant. */
export const DEMO_BANK_BINS: readonly CardBin[] = [
  { bin: '621700', length: 19, kind: 'debit' },
  { bin: '622848', length: 19, kind: 'debit' },
  { bin: '623668', length: 19, kind: 'savings' },
  { bin: '621661', length: 19, kind: 'savings' },
  { bin: '625968', length: 16, kind: 'credit' },
  { bin: '628366', length: 16, kind: 'credit' },
];

/** BINs used for other banks' cards seen as counterparties in transfers. */
export const OTHER_BANK_BINS: readonly CardBin[] = [
  { bin: '622202', length: 19, kind: 'debit' },
  { bin: '621226', length: 19, kind: 'debit' },
  { bin: '623052', length: 19, kind: 'debit' },
  { bin: '621483', length: 16, kind: 'debit' },
  { bin: '622588', length: 16, kind: 'debit' },
  { bin: '621799', length: 19, kind: 'debit' },
  { bin: '622908', length: 19, kind: 'debit' },
];

/**
 * The Luhn check digit for a payload (all digits but the last): from the right, double every
 * second digit starting with the rightmost payload digit, subtract 9 from results above 9, and
 * choose the digit that brings the sum to a multiple of 10.
 */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new RangeError('a Luhn payload is digits only');
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** True when `number` is all digits (at least two) and its last digit is the Luhn check digit. */
export function isLuhnValid(number: string): boolean {
  // One Luhn check in the code base: the one the full-number guard uses.
  return /^\d{2,}$/.test(number) && isFullLuhnValid(number);
}

/**
 * A permutation of [0, 10^k): x ↦ (a·x + b) mod 10^k is a bijection whenever gcd(a, 10) = 1.
 * `a` and `b` come from the seed, so each demo bank numbers its cards differently.
 */
export class CardScramble {
  readonly #a: bigint;
  readonly #b: bigint;

  constructor(rng: Random) {
    let a = BigInt(rng.int(100_001, 999_999));
    while (a % 2n === 0n || a % 5n === 0n) a += 1n;
    this.#a = a;
    this.#b = BigInt(rng.int(0, 999_999_999));
  }

  /** The account part of card number `serial` for a card of `digits` account digits. */
  body(serial: number, digits: number): string {
    const modulus = 10n ** BigInt(digits);
    if (serial < 0 || BigInt(serial) >= modulus) throw new RangeError(`card serial ${serial} does not fit ${digits} digits`);
    return ((this.#a * BigInt(serial) + this.#b) % modulus).toString().padStart(digits, '0');
  }
}

/** The demo bank's card number for account `serial` (unique per serial for a given scramble). */
export function demoCardNumber(bin: CardBin, serial: number, scramble: CardScramble): string {
  const payload = bin.bin + scramble.body(serial, bin.length - 7);
  return payload + luhnCheckDigit(payload);
}

/** A random Luhn-valid card number under one of the given BINs (counterparties; may repeat). */
export function randomCardNumber(rng: Random, bins: readonly CardBin[] = OTHER_BANK_BINS): string {
  const bin = rng.pick(bins);
  const payload = bin.bin + rng.digits(bin.length - 7);
  return payload + luhnCheckDigit(payload);
}
