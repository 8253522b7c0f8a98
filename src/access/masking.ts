/**
 * Display masking (信息屏蔽). Everything identifying is masked unless the request's purpose unlocked it
 * and the decision allowed it. The bank's masking standard below is the most any rule may ever show;
 * configured rules (maker-checker, `config_items` kind 'masking_rules') may only show less.
 */
import { Type } from 'typebox';
import type { UnmaskableField } from './purposes.ts';
import { UNMASKABLE_FIELDS } from './purposes.ts';

export interface MaskRule { keepStart: number; keepEnd: number }
export type MaskingRules = Record<UnmaskableField, MaskRule>;

/**
 * The bank's masking standard: per field, the most characters that may ever show. Cards and accounts
 * follow JR/T 0171 practice (first 6 and last 4: the issuer and enough to tell cards apart); mobiles
 * the carriers' 3 + 4; resident ID numbers only the first and last character (the birth date and
 * region in between identify); names only the first character (the surname).
 */
export const MASKING_STANDARD: Readonly<MaskingRules> = Object.freeze({
  card_number: { keepStart: 6, keepEnd: 4 },
  counterparty_account: { keepStart: 6, keepEnd: 4 },
  id_number: { keepStart: 1, keepEnd: 1 },
  mobile: { keepStart: 3, keepEnd: 4 },
  customer_name: { keepStart: 1, keepEnd: 0 },
  counterparty_name: { keepStart: 1, keepEnd: 0 },
});

/** The rules in force until administrators change them: the standard itself. */
export const DEFAULT_MASKING: MaskingRules = MASKING_STANDARD;

/**
 * The longest value the union rule is checked for. Cards have at most 19 digits, resident IDs 18,
 * names rarely 20 characters; 64 leaves room for long account numbers and foreign names.
 */
export const UNION_RULE_MAX_LENGTH = 64;

/** One field of a masking change: integer counts, each no larger than the standard's. */
function fieldRuleBody(field: UnmaskableField) {
  const standard = MASKING_STANDARD[field];
  return Type.Optional(Type.Object({
    keepStart: Type.Integer({ minimum: 0, maximum: standard.keepStart }),
    keepEnd: Type.Integer({ minimum: 0, maximum: standard.keepEnd }),
  }, { additionalProperties: false }));
}

/** A masking change's body: some of the known fields, each within the standard. */
export const MaskingRulesBody = Type.Object({
  card_number: fieldRuleBody('card_number'),
  counterparty_account: fieldRuleBody('counterparty_account'),
  id_number: fieldRuleBody('id_number'),
  mobile: fieldRuleBody('mobile'),
  customer_name: fieldRuleBody('customer_name'),
  counterparty_name: fieldRuleBody('counterparty_name'),
}, { additionalProperties: false });

/** A count to keep: a non-negative integer, anything else (negative, fractional, NaN, text) keeps nothing. */
function keepCount(n: unknown): number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * How many leading and trailing characters a rule shows in a value of `length` characters. The
 * standard's own span comes first: whatever the rule, at least four characters of a long value, and
 * at least half of a short one (under 8), stay hidden, and the start is served before the end. A rule
 * then shows at most the standard's span on each side, so every position any rule shows is one the
 * standard shows, at every length: the union of any set of masked copies reveals no more than the
 * standard (the union rule, docs on fingerprinting), even where a short value's span is cut.
 */
export function visibleSpan(field: UnmaskableField, rule: MaskRule, length: number): { start: number; end: number } {
  const standard = MASKING_STANDARD[field];
  const budget = Math.min(standard.keepStart + standard.keepEnd, length >= 8 ? length - 4 : Math.floor(length / 2));
  const standardStart = Math.min(standard.keepStart, budget);
  const standardEnd = Math.min(standard.keepEnd, budget - standardStart);
  return { start: Math.min(keepCount(rule.keepStart), standardStart), end: Math.min(keepCount(rule.keepEnd), standardEnd) };
}

/** The character positions a rule shows in a value of `length` characters (separators aside). */
export function visiblePositions(field: UnmaskableField, rule: MaskRule, length: number): Set<number> {
  const { start, end } = visibleSpan(field, rule, length);
  const shown = new Set<number>();
  for (let i = 0; i < start; i++) shown.add(i);
  for (let i = length - end; i < length; i++) shown.add(i);
  return shown;
}

/**
 * Masks a value of `field` by code point (names can hold characters outside the BMP such as 𠮷) and
 * keeps separators such as the middle dot, so the shape stays recognisable. The rule is clamped to
 * the standard here too, so a rule stored before the standard was enforced cannot unmask.
 */
export function maskValue(value: string, rule: MaskRule, field: UnmaskableField): string {
  const chars = [...value];
  const { start, end } = visibleSpan(field, rule, chars.length);
  return chars
    .map((c, i) => (i < start || i >= chars.length - end || c === '·' || c === ' ' ? c : '*'))
    .join('');
}

/**
 * The first field whose positions, shown by any of the rules at some length, fall outside the
 * standard's: the union rule. Null when the union stays within the standard. `visibleSpan` makes it
 * hold for every rule within the standard; checking it on each proposal keeps it holding if the
 * renderer ever changes (`positionsOf` lets a test check another renderer).
 */
export function unionRuleViolation(
  ruleSets: readonly Partial<MaskingRules>[],
  positionsOf: typeof visiblePositions = visiblePositions,
): { field: UnmaskableField; length: number; positions: number[] } | null {
  for (const field of UNMASKABLE_FIELDS) {
    for (let length = 1; length <= UNION_RULE_MAX_LENGTH; length++) {
      const allowed = positionsOf(field, MASKING_STANDARD[field], length);
      const beyond = new Set<number>();
      for (const rules of ruleSets) {
        const rule = rules[field];
        if (rule) for (const p of positionsOf(field, rule, length)) if (!allowed.has(p)) beyond.add(p);
      }
      if (beyond.size > 0) return { field, length, positions: [...beyond].sort((a, b) => a - b) };
    }
  }
  return null;
}

/**
 * The rules in force from a stored override: known fields with a rule object only, each clamped to
 * the standard. A row written before masking changes were checked cannot unmask or break a statement.
 */
export function maskingRulesInForce(override: unknown): MaskingRules {
  const rules: MaskingRules = { ...DEFAULT_MASKING };
  if (typeof override !== 'object' || override === null || Array.isArray(override)) return rules;
  for (const field of UNMASKABLE_FIELDS) {
    const rule = (override as Record<string, unknown>)[field];
    if (typeof rule !== 'object' || rule === null) continue;
    const { keepStart, keepEnd } = rule as Record<string, unknown>;
    rules[field] = {
      keepStart: Math.min(keepCount(keepStart), MASKING_STANDARD[field].keepStart),
      keepEnd: Math.min(keepCount(keepEnd), MASKING_STANDARD[field].keepEnd),
    };
  }
  return rules;
}

export class Masker {
  constructor(
    private readonly rules: MaskingRules,
    private readonly unmasked: ReadonlySet<UnmaskableField>,
  ) {}

  field(field: UnmaskableField, value: string | null): string | null {
    if (value === null) return null;
    return this.unmasked.has(field) ? value : maskValue(value, this.rules[field], field);
  }
}
