import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import { DEFAULT_MASKING, MASKING_STANDARD, Masker, MaskingRulesBody, maskValue, maskingRulesInForce, unionRuleViolation, type MaskRule } from './masking.ts';
import { UNMASKABLE_FIELDS, type UnmaskableField } from './purposes.ts';
import { findFullNumbers } from '../privacy/full-numbers.ts';

/** Positions of `value` that `masked` shows (a value drawn without '*' or separators). */
function revealed(value: string, masked: string): number[] {
  const v = [...value];
  const m = [...masked];
  return v.flatMap((c, i) => (m[i] === c ? [i] : []));
}

/** What the standard allows, written out independently of the code: the two ends, and a hidden floor. */
function allowedByStandard(field: UnmaskableField, length: number, positions: Iterable<number>): boolean {
  const { keepStart, keepEnd } = MASKING_STANDARD[field];
  const shown = [...new Set(positions)];
  const hiddenAtLeast = length >= 8 ? 4 : Math.ceil(length / 2);
  return shown.every((i) => i < keepStart || i >= length - keepEnd) && length - shown.length >= hiddenAtLeast;
}

const field = fc.constantFrom(...UNMASKABLE_FIELDS);
const plainValue = fc.stringMatching(/^[0-9A-Za-z张伟欧阳𠮷]{1,40}$/);
/** Any rule an administrator might type, sensible or hostile. */
const anyRule: fc.Arbitrary<MaskRule> = fc.record({
  keepStart: fc.oneof(fc.integer({ min: -10, max: 30 }), fc.constantFrom(99, -5, 1e300, Number.NaN, 2.5, Number.MAX_SAFE_INTEGER)),
  keepEnd: fc.oneof(fc.integer({ min: -10, max: 30 }), fc.constantFrom(99, -5, 1e300, Number.NaN, 2.5, Number.MAX_SAFE_INTEGER)),
});

describe('masking', () => {
  it('shows the first 6 and last 4 digits of a card number', () => {
    expect(maskValue('6217001234567890123', DEFAULT_MASKING.card_number, 'card_number')).toBe('621700*********0123');
  });

  it('keeps the surname and the middle dot of a name, by code point', () => {
    expect(maskValue('欧阳娜娜', DEFAULT_MASKING.customer_name, 'customer_name')).toBe('欧***');
    expect(maskValue('买买提·艾力', DEFAULT_MASKING.customer_name, 'customer_name')).toBe('买**·**');
    expect(maskValue('𠮷野', DEFAULT_MASKING.customer_name, 'customer_name')).toBe('𠮷*');
  });

  it('masks a mobile number as 3 + 4', () => {
    expect(maskValue('13812345678', DEFAULT_MASKING.mobile, 'mobile')).toBe('138****5678');
  });

  it('shows unmasked fields as they are and masks the others', () => {
    const m = new Masker(DEFAULT_MASKING, new Set(['counterparty_name']));
    expect(m.field('counterparty_name', '张三')).toBe('张三');
    expect(m.field('counterparty_account', '6217001234567890123')).toBe('621700*********0123');
  });

  it('never leaves a full card or ID number visible, whatever the digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{16,19}$/), (digits) => {
        const masked = maskValue(digits, DEFAULT_MASKING.card_number, 'card_number');
        return findFullNumbers(masked).length === 0 && [...masked].length === digits.length;
      }),
    );
  });

  it('hides at least half of a short value and at least four characters of a long one', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z]{1,24}$/), field, anyRule, (s, f, rule) => {
        const hidden = [...maskValue(s, rule, f)].filter((c) => c === '*').length;
        return s.length >= 8 ? hidden >= 4 : hidden >= Math.ceil(s.length / 2);
      }),
    );
  });
});

describe('the masking standard', () => {
  it('clamps what the issue found unmasking (keepStart 99, -5, 1e300) to the standard at render time', () => {
    const card = '6217001234567890123';
    expect(maskValue(card, { keepStart: 99, keepEnd: 99 }, 'card_number')).toBe('621700*********0123');
    expect(maskValue(card, { keepStart: 1e300, keepEnd: -5 }, 'card_number')).toBe('621700*************');
    expect(maskValue('310109198501010011', { keepStart: 99, keepEnd: 99 }, 'id_number')).toBe('3****************1');
    expect(maskValue('13812345678', { keepStart: 7, keepEnd: 7 }, 'mobile')).toBe('138****5678');
    expect(maskValue('欧阳娜娜', { keepStart: 3, keepEnd: 1 }, 'customer_name')).toBe('欧***');
  });

  it('never reveals more than the standard, for any rule and any value (rendered, even if never accepted)', () => {
    fc.assert(
      fc.property(field, anyRule, plainValue, (f, rule, value) => {
        const length = [...value].length;
        return allowedByStandard(f, length, revealed(value, maskValue(value, rule, f)));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly the rules within the standard: integers, 0 ≤ keep ≤ the standard, known fields', () => {
    expect(Value.Check(MaskingRulesBody, { card_number: { keepStart: 6, keepEnd: 4 }, mobile: { keepStart: 0, keepEnd: 2 } })).toBe(true);
    expect(Value.Check(MaskingRulesBody, {})).toBe(true);
    for (const bad of [
      null, [], 'x', { card_number: { keepStart: 99, keepEnd: 4 } }, { card_number: { keepStart: -5, keepEnd: 4 } }, { card_number: { keepStart: 1e300, keepEnd: 4 } },
      { card_number: { keepStart: 2.5, keepEnd: 4 } }, { card_number: { keepStart: 6 } }, { card_number: null }, { shoe_size: { keepStart: 1, keepEnd: 1 } },
      { customer_name: { keepStart: 1, keepEnd: 1 } }, { id_number: { keepStart: 2, keepEnd: 1 } }, { mobile: { keepStart: 3, keepEnd: 4, extra: 1 } },
    ]) expect(Value.Check(MaskingRulesBody, bad), JSON.stringify(bad)).toBe(false);
  });

  it('union rule: any set of copies masked under accepted rules (and the default) together shows no more than the standard', () => {
    const acceptedRule = (f: UnmaskableField) => fc.record({ keepStart: fc.integer({ min: 0, max: MASKING_STANDARD[f].keepStart }), keepEnd: fc.integer({ min: 0, max: MASKING_STANDARD[f].keepEnd }) });
    fc.assert(
      fc.property(field.chain((f) => fc.tuple(fc.constant(f), fc.array(acceptedRule(f), { minLength: 1, maxLength: 4 }))), plainValue, ([f, rules], value) => {
        const union = [DEFAULT_MASKING[f], ...rules].flatMap((rule) => revealed(value, maskValue(value, rule, f)));
        return allowedByStandard(f, [...value].length, union);
      }),
      { numRuns: 2000 },
    );
    // A short account: the default shows the first 6 of 10; a 2 + 4 rule must not add the last 4.
    const account = '3100123456';
    const union = new Set([...revealed(account, maskValue(account, DEFAULT_MASKING.counterparty_account, 'counterparty_account')), ...revealed(account, maskValue(account, { keepStart: 2, keepEnd: 4 }, 'counterparty_account'))]);
    expect(union.size).toBeLessThanOrEqual(6);
  });

  it('the union rule check passes accepted rule sets and names a violation when positions stray', () => {
    expect(unionRuleViolation([DEFAULT_MASKING, { card_number: { keepStart: 2, keepEnd: 4 } }, { mobile: { keepStart: 0, keepEnd: 4 } }])).toBeNull();
    // The renderer before issue 9 cut a short value's span by the rule, not the standard: 2 + 4 on a
    // 6-character account showed the last one, which the default (3 + 0 at that length) hides.
    const cutByRule = (_f: UnmaskableField, rule: MaskRule, length: number) => {
      const budget = Math.min(rule.keepStart + rule.keepEnd, length >= 8 ? length - 4 : Math.floor(length / 2));
      const start = Math.min(rule.keepStart, budget);
      const end = Math.min(rule.keepEnd, budget - start);
      return new Set([...Array(length).keys()].filter((i) => i < start || i >= length - end));
    };
    expect(unionRuleViolation([DEFAULT_MASKING, { counterparty_account: { keepStart: 2, keepEnd: 4 } }], cutByRule)).toEqual({ field: 'counterparty_account', length: 6, positions: [5] });
  });

  it('the rules in force from a stored row are clamped to the standard, and junk falls back to the default', () => {
    expect(maskingRulesInForce({ card_number: { keepStart: 99, keepEnd: -5 }, mobile: null, shoe: { keepStart: 1 } })).toEqual({ ...DEFAULT_MASKING, card_number: { keepStart: 6, keepEnd: 0 } });
    expect(maskingRulesInForce(null)).toEqual(DEFAULT_MASKING);
    expect(maskingRulesInForce([1, 2])).toEqual(DEFAULT_MASKING);
  });
});
