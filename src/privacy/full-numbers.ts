/**
 * Finds full card and resident ID numbers in text, whoever generated them: any 16–19 digit run that
 * passes Luhn (UnionPay cards) and any 18-character run that passes the GB 11643-1999 check digit.
 * Used as a last guard before the record and the logs are written, and by the tests that scan every
 * response, log line and database file.
 */
const CARD_RUN = /(?<![0-9])[0-9]{16,19}(?![0-9])/g;
const ID_RUN = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])/g;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

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

/** ISO 7064 MOD 11-2 as GB 11643-1999 applies it to the 18th character. */
export function hasValidIdCheckDigit(id: string): boolean {
  if (!/^[0-9]{17}[0-9Xx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17]!.toUpperCase();
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
