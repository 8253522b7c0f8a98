import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDay } from './calendar.ts';
import { createRandom } from './prng.ts';
import { REGION_CODES, formatResidentId, generateResidentId, isValidResidentId, parseResidentId } from './resident-id.ts';
import { hasValidIdCheckDigit, residentIdCheckCharacter } from '../privacy/full-numbers.ts';

const REGIONS = [...REGION_CODES.上海, ...REGION_CODES.北京, ...REGION_CODES.other];
const arbitraryId = fc.record({
  region: fc.constantFrom(...REGIONS),
  birthDay: fc.integer({ min: parseDay('1920-01-01'), max: parseDay('2008-12-31') }),
  sequence: fc.integer({ min: 1, max: 999 }),
  sex: fc.constantFrom('male' as const, 'female' as const),
}).map((p) => ({ ...p, id: formatResidentId(p.region, p.birthDay, p.sequence, p.sex) }));

describe('check character (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  it('matches the examples printed in the standard', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('440524188001010014')).toBe(false); // born before 1900: not plausible
  });

  it('every generated id is valid and reads back its parts', () => {
    fc.assert(fc.property(arbitraryId, ({ id, region, birthDay, sex }) => {
      const parts = parseResidentId(id);
      expect(parts).not.toBeNull();
      expect(parts?.region).toBe(region);
      expect(parseDay(parts!.birthDate)).toBe(birthDay);
      expect(parts?.sex).toBe(sex);
      // the guard that keeps full IDs out of the record recognises every ID the demo bank makes
      expect(hasValidIdCheckDigit(id)).toBe(true);
    }));
  });

  it('yields X for about one id in eleven', () => {
    const r = createRandom(5);
    let x = 0;
    for (let i = 0; i < 11_000; i++) if (generateResidentId(r, '310104', parseDay('1980-01-01') + (i % 9000), 'male').endsWith('X')) x += 1;
    expect(x).toBeGreaterThan(800);
    expect(x).toBeLessThan(1200);
  });
});

describe('isValidResidentId rejects', () => {
  it('any single changed character', () => {
    fc.assert(fc.property(arbitraryId, fc.nat(17), fc.constantFrom(...'0123456789X'), ({ id }, pos, ch) => {
      fc.pre(id[pos] !== ch && (pos === 17 || ch !== 'X'));
      expect(isValidResidentId(id.slice(0, pos) + ch + id.slice(pos + 1))).toBe(false);
    }));
  });

  it('any swap of two adjacent different digits', () => {
    fc.assert(fc.property(arbitraryId, fc.nat(15), ({ id }, pos) => {
      fc.pre(id[pos] !== id[pos + 1]);
      const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
      expect(isValidResidentId(swapped)).toBe(false);
    }));
  });

  it('malformed input', () => {
    const valid = formatResidentId('310104', parseDay('1990-02-28'), 123, 'male');
    expect(isValidResidentId(valid)).toBe(true);
    for (const bad of ['', valid.slice(0, 17), `${valid}0`, valid.toLowerCase().replace('x', 'x'), ` ${valid.slice(1)}`, `99${valid.slice(2)}`]) {
      if (bad === valid) continue;
      expect(isValidResidentId(bad)).toBe(false);
    }
    const feb30 = '31010419900230123';
    expect(isValidResidentId(feb30 + residentIdCheckCharacter(feb30))).toBe(false);
    const zeroSeq = '31010419900228000';
    expect(isValidResidentId(zeroSeq + residentIdCheckCharacter(zeroSeq))).toBe(false);
  });

  it('lower-case x', () => {
    expect(isValidResidentId('11010519491231002x')).toBe(false);
  });

  it('arbitrary strings (never throws)', () => {
    fc.assert(fc.property(fc.string(), (s) => typeof isValidResidentId(s) === 'boolean'));
  });
});

describe('formatResidentId', () => {
  it('encodes the sex in the parity of the 17th digit', () => {
    fc.assert(fc.property(arbitraryId, ({ id, sex }) => (Number(id[16]) % 2 === 1) === (sex === 'male')));
  });
});
