/**
 * Finds full card and resident ID numbers in text, whoever generated them: any 16–19 digit run that
 * passes Luhn (UnionPay cards) and any 18-character run that passes the GB 11643-1999 check digit.
 * Used as a last guard before the record and the logs are written, and by the tests that scan every
 * response, log line and database file.
 */
const CARD_RUN = /(?<![0-9])[0-9]{16,19}(?![0-9])/g;
const ID_RUN = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])/g;
/** GB 11643-1999 §7: weight of position i (1-based, left to right) is 2^(18-i) mod 11. */
export const ID_CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** ISO 7064 MOD 11-2: check character for (sum of weighted digits) mod 11 = 0, 1, … 10. */
const ID_CHECK_CHARACTERS = '10X98765432';

export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * The check character for the first 17 digits of a resident ID (GB 11643-1999 §7, ISO 7064 MOD 11-2).
 * The one implementation: the demo bank's ID generator (bank/resident-id.ts) imports it.
 */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('a resident id check character needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_CHECK_WEIGHTS[i]!;
  return ID_CHECK_CHARACTERS[sum % 11]!;
}

/** Whether an 18-character run carries the right check character (lower-case x accepted). */
export function hasValidIdCheckDigit(id: string): boolean {
  if (!/^[0-9]{17}[0-9Xx]$/.test(id)) return false;
  return residentIdCheckCharacter(id.slice(0, 17)) === id[17]!.toUpperCase();
}

export interface FullNumberHit { kind: 'card' | 'resident_id'; at: number; masked: string }

export function findFullNumbers(text: string): FullNumberHit[] {
  const hits: FullNumberHit[] = [];
  for (const m of text.matchAll(CARD_RUN)) {
    if (isLuhnValid(m[0])) hits.push({ kind: 'card', at: m.index!, masked: maskMiddle(m[0]) });
  }
  for (const m of text.matchAll(ID_RUN)) {
    if (hasValidIdCheckDigit(m[0])) hits.push({ kind: 'resident_id', at: m.index!, masked: maskMiddle(m[0]) });
  }
  return hits;
}

/**
 * Masks every full card or ID number in a text (first 4 and last 2 digits stay), for anything that
 * echoes what a person typed: an error's detail, a logged path.
 */
export function maskFullNumbers(text: string): string {
  return text
    .replace(CARD_RUN, (run) => (isLuhnValid(run) ? maskMiddle(run) : run))
    .replace(ID_RUN, (run) => (hasValidIdCheckDigit(run) ? maskMiddle(run) : run));
}

/**
 * A full mainland mobile number: 11 digits starting 13–19 (the numbering plan of MIIT's 电信网码号资源
 * 管理办法), standing alone. Unlike card and ID runs it must not touch a Latin letter either: hex
 * request and code ids (SR-…-a13812345678) hold such runs by chance, while a person typing a mobile
 * writes it alone or next to Chinese text (手机13800138000).
 */
const MOBILE_RUN = /(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])/g;

export interface MobileNumberHit { kind: 'mobile'; at: number; masked: string }

/** Full mobile numbers in a text, masked as banks print them (138****8000). */
export function findFullMobileNumbers(text: string): MobileNumberHit[] {
  return [...text.matchAll(MOBILE_RUN)].map((m) => ({ kind: 'mobile', at: m.index!, masked: `${m[0].slice(0, 3)}****${m[0].slice(-4)}` }));
}

/** Masks every full mobile number in a text (138****8000), for what echoes a path someone typed. */
export function maskFullMobileNumbers(text: string): string {
  return text.replace(MOBILE_RUN, (run) => `${run.slice(0, 3)}****${run.slice(-4)}`);
}

function maskMiddle(s: string): string {
  return `${s.slice(0, 4)}…${s.slice(-2)}`;
}
