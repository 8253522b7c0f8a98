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

function maskMiddle(s: string): string {
  return `${s.slice(0, 4)}…${s.slice(-2)}`;
}
