import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskMobile, MOBILE_PATTERN, newPortalCode, portalCodeMessage } from './portal-codes.ts';
import { matchesOneTimeCode, oneTimeCodeHash } from './one-time-code-hash.ts';

describe('portal codes', () => {
  it('are six digits, leading zeros kept', () => {
    for (let i = 0; i < 500; i++) expect(newPortalCode()).toMatch(/^[0-9]{6}$/);
  });

  it('hash differently under different code ids, and match only their own code and id', () => {
    expect(oneTimeCodeHash('id-1', '123456')).not.toBe(oneTimeCodeHash('id-2', '123456'));
    expect(oneTimeCodeHash('id-1', '123456')).toBe(oneTimeCodeHash('id-1', '123456'));
    fc.assert(fc.property(fc.uuid(), fc.stringMatching(/^[0-9]{6}$/), fc.stringMatching(/^[0-9]{6}$/), (id, code, other) => {
      const stored = oneTimeCodeHash(id, code);
      expect(matchesOneTimeCode(stored, id, code)).toBe(true);
      expect(matchesOneTimeCode(stored, id, other)).toBe(other === code);
      expect(matchesOneTimeCode(stored, `${id}x`, code)).toBe(false);
      expect(matchesOneTimeCode(stored.slice(1), id, code)).toBe(false);
    }));
  });

  it('are sent in a Chinese message with the signature, the code and the lifetime in minutes', () => {
    expect(portalCodeMessage('123456', 300)).toBe('【流水卫士】您的登录验证码为123456，5分钟内有效。请勿告知他人。');
    expect(portalCodeMessage('000001', 90)).toContain('2分钟内有效');
  });
});

describe('maskMobile', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskMobile('13812341234')).toBe('138****1234');
  });

  it('never returns the middle digits of any mainland number', () => {
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(MOBILE_PATTERN)), (mobile) => {
        const masked = maskMobile(mobile);
        expect(masked).toHaveLength(11);
        expect(masked.slice(3, 7)).toBe('****');
      }),
    );
  });

  it('hides short values entirely', () => {
    expect(maskMobile('12345')).toBe('*****');
  });
});
