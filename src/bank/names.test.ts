import { describe, expect, it } from 'vitest';
import { COMPOUND_SURNAMES, RARE_CHARACTERS, generateAddress, generateMobile, generateName, generateRelativeName, type City } from './names.ts';
import { createRandom } from './prng.ts';

describe('generateName', () => {
  const r = createRandom(2026);
  const names = Array.from({ length: 3000 }, (_, i) => generateName(r, i % 2 ? 'male' : 'female'));

  it('includes compound surnames, middle-dot names and rare characters in a few thousand', () => {
    expect(names.some((n) => COMPOUND_SURNAMES.some((s) => n.full.startsWith(s) && n.surname === s))).toBe(true);
    expect(names.some((n) => /^[^·]+·[^·]+$/.test(n.full) && n.style === 'uyghur')).toBe(true);
    expect(names.some((n) => RARE_CHARACTERS.some((c) => n.full.includes(c)))).toBe(true);
  });

  it('follows the surname ranking: 王, 李 and 张 lead', () => {
    const count = (s: string) => names.filter((n) => n.surname === s).length;
    expect(count('王') + count('李') + count('张')).toBeGreaterThan(names.length * 0.15);
    expect(count('王')).toBeGreaterThan(count('欧阳'));
  });

  it('writes Han names as surname plus one or two characters', () => {
    for (const n of names.filter((x) => x.style === 'han')) {
      expect(n.full.startsWith(n.surname!)).toBe(true);
      const given = [...n.full.slice(n.surname!.length)];
      expect(given.length).toBeGreaterThanOrEqual(1);
      expect(given.length).toBeLessThanOrEqual(2);
    }
  });

  it('names relatives with the family name', () => {
    const rr = createRandom(1);
    for (const n of names.slice(0, 300)) {
      const rel = generateRelativeName(rr, n, 'male');
      if (n.style === 'han') expect(rel.surname).toBe(n.surname);
      if (n.style === 'uyghur') expect(rel.full.split('·')[1]).toBe(n.full.split('·')[1]);
    }
  });
});

describe('generateMobile', () => {
  it('gives 11-digit mainland numbers 1[3-9]x', () => {
    const r = createRandom(1);
    for (let i = 0; i < 2000; i++) expect(generateMobile(r)).toMatch(/^1[3-9]\d{9}$/);
  });
});

describe('generateAddress', () => {
  it('writes province or municipality, district, street and number', () => {
    const r = createRandom(4);
    const cities: City[] = ['上海', '北京', '深圳', '杭州', '南京', '成都', '武汉'];
    for (const city of cities) {
      for (let i = 0; i < 50; i++) {
        const a = generateAddress(r, city);
        expect(a.startsWith(city === '上海' || city === '北京' ? `${city}市` : '')).toBe(true);
        expect(a).toMatch(/^(?:[^省]+省)?[^市]+市[^区]+区.+?\d+(号|弄)/);
      }
    }
  });
});
