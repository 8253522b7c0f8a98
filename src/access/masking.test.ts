import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_MASKING, Masker, maskValue } from './masking.ts';
import { findFullNumbers } from '../privacy/full-numbers.ts';

describe('masking', () => {
  it('shows the first 6 and last 4 digits of a card number', () => {
    expect(maskValue('6217001234567890123', DEFAULT_MASKING.card_number)).toBe('621700*********0123');
  });

  it('keeps the surname and the middle dot of a name, by code point', () => {
    expect(maskValue('欧阳娜娜', DEFAULT_MASKING.customer_name)).toBe('欧***');
    expect(maskValue('买买提·艾力', DEFAULT_MASKING.customer_name)).toBe('买**·**');
    expect(maskValue('𠮷野', DEFAULT_MASKING.customer_name)).toBe('𠮷*');
  });

  it('masks a mobile number as 3 + 4', () => {
    expect(maskValue('13812345678', DEFAULT_MASKING.mobile)).toBe('138****5678');
  });

  it('shows unmasked fields as they are and masks the others', () => {
    const m = new Masker(DEFAULT_MASKING, new Set(['counterparty_name']));
    expect(m.field('counterparty_name', '张三')).toBe('张三');
    expect(m.field('counterparty_account', '6217001234567890123')).toBe('621700*********0123');
  });

  it('never leaves a full card or ID number visible, whatever the digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{16,19}$/), (digits) => {
        const masked = maskValue(digits, DEFAULT_MASKING.card_number);
        return findFullNumbers(masked).length === 0 && [...masked].length === digits.length;
      }),
    );
  });

  it('hides at least half of a short value and at least four characters of a long one', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z]{1,24}$/), fc.nat(10), fc.nat(10), (s, keepStart, keepEnd) => {
        const hidden = [...maskValue(s, { keepStart, keepEnd })].filter((c) => c === '*').length;
        return s.length >= 8 ? hidden >= 4 : hidden >= Math.ceil(s.length / 2);
      }),
    );
  });
});
