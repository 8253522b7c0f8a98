/**
 * What a person typed into a request — every string of the body at any depth, the query and the path
 * parameters — checked for two things before any service sees it: text that is not well-formed
 * Unicode (a lone UTF-16 surrogate, which no database or canonical JSON can hold faithfully), and a
 * full card, resident ID or mobile number typed where it does not belong (PIPL Art. 28: sensitive
 * personal information is collected only where a specific purpose needs it). Pure functions; the
 * hook that refuses is input-hygiene.ts.
 */
import { findFullMobileNumbers, findFullNumbers } from '../privacy/full-numbers.ts';

export type PersonalNumberKind = 'card' | 'resident_id' | 'mobile';

/** Where a typed value sits: the body (path like `period.from`, `accountIds[1]`), the query or the path. */
export type InputPart = 'body' | 'query' | 'params';

export interface TypedValue { part: InputPart; field: string; text: string }

/**
 * A field allowed to hold a personal number, and why. Fields not listed here are refused one.
 * Future exemptions belong here too, each with its reason: uploads of leaked copies, case
 * attachments and ingested events (stored encrypted, never echoed).
 */
export interface PersonalNumberExemption {
  method: string;
  route: string;
  part: InputPart;
  field: string;
  kinds: readonly PersonalNumberKind[];
  why: string;
}

const EVERY_KIND: readonly PersonalNumberKind[] = ['card', 'resident_id', 'mobile'];

export const PERSONAL_NUMBER_EXEMPTIONS: readonly PersonalNumberExemption[] = [
  { method: 'POST', route: '/api/v1/sessions', part: 'body', field: 'username', kinds: EVERY_KIND, why: 'credentials are compared, never stored or echoed; some banks give staff their ID number as username' },
  { method: 'POST', route: '/api/v1/sessions', part: 'body', field: 'password', kinds: EVERY_KIND, why: 'a password is hashed, never stored or echoed, and may be any digits' },
  { method: 'POST', route: '/api/v1/portal/codes', part: 'body', field: 'mobile', kinds: ['mobile'], why: 'the customer signs in with their mobile' },
  { method: 'POST', route: '/api/v1/portal/sessions', part: 'body', field: 'mobile', kinds: ['mobile'], why: 'the customer signs in with their mobile' },
  { method: 'GET', route: '/api/v1/customers', part: 'query', field: 'q', kinds: ['mobile'], why: 'tellers find a customer by their full mobile; the record keeps only the term\'s shape' },
];

/** Deeper than any request of ours nests (the deepest is 3); deeper input is refused before it is walked. */
export const MAX_INPUT_DEPTH = 32;

/** True when arrays and objects in `value` nest deeper than `max`. Iterative: a 64 KiB body can nest 30,000 deep. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const item of Object.values(v)) stack.push({ value: item, depth: depth + 1 });
  }
  return false;
}

/** Every string (and whole number) a person typed, with where it sits. Iterative: a 64 KiB body can nest 30,000 deep. */
export function typedValues(part: InputPart, value: unknown): TypedValue[] {
  const out: TypedValue[] = [];
  const stack: Array<{ path: string; value: unknown }> = [{ path: '', value }];
  while (stack.length) {
    const { path, value: v } = stack.pop()!;
    if (typeof v === 'string') out.push({ part, field: path || part, text: v });
    else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out.push({ part, field: path || part, text: BigInt(v).toString() });
    else if (Array.isArray(v)) v.forEach((item, i) => stack.push({ path: `${path}[${i}]`, value: item }));
    else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const at = path ? `${path}.${key}` : key;
        out.push({ part, field: path || part, text: key });
        stack.push({ path: at, value: item });
      }
    }
  }
  return out;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first value that is not well-formed Unicode: it holds a lone surrogate. */
export function findMalformedText(values: readonly TypedValue[]): (TypedValue & { problem: string }) | undefined {
  for (const v of values) {
    if (LONE_SURROGATE.test(v.text)) return { ...v, problem: 'is not well-formed Unicode text (it holds a lone UTF-16 surrogate); send UTF-8 text' };
    // PostgreSQL cannot store U+0000 in text, and no field of ours means one.
    if (v.text.includes('\u0000')) return { ...v, problem: 'holds a NUL character (U+0000), which no field accepts; remove it' };
  }
  return undefined;
}

export interface PersonalNumberFinding { part: InputPart; field: string; kind: PersonalNumberKind; masked: string }

/** The first personal number typed into a field not exempt for its kind. */
export function findPersonalNumber(method: string, route: string, values: readonly TypedValue[]): PersonalNumberFinding | undefined {
  for (const v of values) {
    const hits = [...findFullNumbers(v.text), ...findFullMobileNumbers(v.text)];
    const hit = hits.find((h) => !isExempt(method, route, v, h.kind));
    // A field's path is made of keys someone typed: a number used as a key is not echoed either.
    if (hit) return { part: v.part, field: v.field.replace(/[0-9]{11,}/g, '…'), kind: hit.kind, masked: hit.masked };
  }
  return undefined;
}

function isExempt(method: string, route: string, v: TypedValue, kind: PersonalNumberKind): boolean {
  return PERSONAL_NUMBER_EXEMPTIONS.some((e) => e.method === method && e.route === route && e.part === v.part && e.field === v.field && e.kinds.includes(kind));
}

const KIND_NAMES: Record<PersonalNumberKind, string> = { card: 'a full card number', resident_id: 'a full resident ID number', mobile: 'a full mobile number' };

/** What to type instead, by field where the field says more than the kind. */
const INSTEAD_BY_FIELD: Record<string, string> = {
  customerId: 'use the customer number (C…) from the customer search',
  accountIds: 'use the account ids (A…) from the customer search',
  accountId: 'use the account id (A…) from your account list',
  reference: 'use the ticket, case, counter-code or document number',
  q: 'search by customer number, full mobile or part of the name',
  before: 'use the seq number of an audit entry',
};

const INSTEAD_BY_KIND: Record<PersonalNumberKind, string> = {
  card: 'refer to the account by its account id, or write the card masked (first 6 and last 4 digits)',
  resident_id: 'refer to the customer by the customer number (C…), or write the ID masked',
  mobile: 'refer to the customer by the customer number (C…), or write the mobile masked (138****0000)',
};

/** The refusal's message: which field, what it holds, what to use instead. Never the number itself. */
export function personalNumberMessage(f: PersonalNumberFinding): string {
  const where = f.part === 'query' ? `The query parameter ${f.field}` : f.part === 'params' ? `The path segment ${f.field}` : f.field;
  const base = f.field.replace(/\[\d+\]$/, '').split('.').at(-1)!;
  const instead = INSTEAD_BY_FIELD[base] ?? INSTEAD_BY_KIND[f.kind];
  return `${where} holds what looks like ${KIND_NAMES[f.kind]}; ${instead}. Personal numbers are not taken in this field, and nothing was done.`;
}
