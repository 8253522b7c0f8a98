import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findFullMobileNumbers, findFullNumbers, hasValidIdCheckDigit, isLuhnValid, maskFullNumbers, residentIdCheckCharacter } from './full-numbers.ts';

describe('full number detection', () => {
  it('finds a Luhn-valid card number inside text', () => {
    const card = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => `621700123456789012${d}`).find(isLuhnValid)!;
    expect(findFullNumbers(`卡号${card} 已冻结`)).toEqual([{ kind: 'card', at: 2, masked: '6217…' + card.slice(-2) }]);
  });

  it('finds a resident ID with a valid check digit, X included', () => {
    expect(hasValidIdCheckDigit('11010519491231002X')).toBe(true);
    expect(findFullNumbers('id=11010519491231002X;')).toHaveLength(1);
  });

  it('one GB 11643 check character: for any 17 digits exactly one of the 11 candidates passes, and it is the computed one', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{17}$/), (first17) => {
      const passing = [...'0123456789X'].filter((c) => hasValidIdCheckDigit(first17 + c));
      expect(passing).toEqual([residentIdCheckCharacter(first17)]);
      expect(hasValidIdCheckDigit(first17 + residentIdCheckCharacter(first17).toLowerCase())).toBe(true);
    }));
    expect(() => residentIdCheckCharacter('1101051949123100')).toThrow(RangeError);
  });

  it('ignores masked numbers and numbers with a wrong check digit', () => {
    expect(findFullNumbers('622202******3445 110105********002X')).toEqual([]);
    expect(hasValidIdCheckDigit('110105194912310021')).toBe(false);
  });

  it('masks the full numbers in a text someone typed and leaves other digits alone', () => {
    const masked = maskFullNumbers('Reference "6228480412345678905 11010519491231002X" does not belong; 622202******3445 20261127');
    expect(masked).toBe('Reference "6228…05 1101…2X" does not belong; 622202******3445 20261127');
    expect(findFullNumbers(masked)).toEqual([]);
  });

  it('any Luhn-valid 16–19 digit run is found wherever it sits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{15,18}$/), fc.string(), fc.string(), (body, pre, post) => {
        const check = [...'0123456789'].find((d) => isLuhnValid(body + d))!;
        const card = body + check;
        const text = `${pre.replace(/[0-9]/g, '')} ${card} ${post.replace(/[0-9]/g, '')}`;
        return findFullNumbers(text).some((h) => h.kind === 'card');
      }),
    );
  });

  describe('full mobile numbers', () => {
    it('finds one standing alone or next to Chinese text, masked as banks print it', () => {
      expect(findFullMobileNumbers('手机13800138000，请回电')).toEqual([{ kind: 'mobile', at: 2, masked: '138****8000' }]);
      expect(findFullMobileNumbers('tel: 19912345678')).toHaveLength(1);
    });

    it('ignores longer digit runs, numbers outside 13–19, and runs inside hex ids', () => {
      expect(findFullMobileNumbers('138001380001 12800138000 138****8000 SR-3f2a-b13800138000 CC-13800138000c')).toEqual([]);
    });

    it('finds any 1[3-9] eleven-digit number between non-alphanumerics', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^1[3-9][0-9]{9}$/), fc.stringMatching(/^[^0-9A-Za-z]?$/), fc.stringMatching(/^[^0-9A-Za-z]?$/), (mobile, pre, post) => {
          expect(findFullMobileNumbers(`${pre}${mobile}${post}`).map((h) => h.masked)).toEqual([`${mobile.slice(0, 3)}****${mobile.slice(-4)}`]);
        }),
      );
    });
  });
});
