import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CardScramble, DEMO_BANK_BINS, OTHER_BANK_BINS, demoCardNumber, isLuhnValid, luhnCheckDigit, randomCardNumber } from './card-number.ts';
import { createRandom } from './prng.ts';

describe('Luhn (ISO/IEC 7812-1 Annex B)', () => {
  it('matches known numbers', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
    expect(isLuhnValid('4111111111111111')).toBe(true);
  });

  it('rejects any single changed digit', () => {
    const cards = fc.tuple(fc.integer(), fc.nat(999_999)).map(([seed, serial]) =>
      demoCardNumber(DEMO_BANK_BINS[serial % DEMO_BANK_BINS.length]!, serial, new CardScramble(createRandom(seed))));
    fc.assert(fc.property(cards, fc.nat(18), fc.integer({ min: 1, max: 9 }), (card, p, delta) => {
      const pos = p % card.length;
      const changed = card.slice(0, pos) + String((Number(card[pos]) + delta) % 10) + card.slice(pos + 1);
      expect(isLuhnValid(card)).toBe(true);
      expect(isLuhnValid(changed)).toBe(false);
    }));
  });

  it('rejects non-digits and short input', () => {
    for (const s of ['', '0', '6217 0000 0000 0000 000', '62170000000000000a']) expect(isLuhnValid(s)).toBe(false);
  });
});

describe('demo bank card numbers', () => {
  it('are UnionPay (62…), of their BIN length, Luhn-valid and distinct', () => {
    const scramble = new CardScramble(createRandom(11));
    const seen = new Set<string>();
    const wrong: string[] = [];
    for (let serial = 0; serial < 30_000; serial++) {
      const bin = DEMO_BANK_BINS[serial % DEMO_BANK_BINS.length]!;
      const card = demoCardNumber(bin, serial, scramble);
      if (!card.startsWith(bin.bin) || !card.startsWith('62') || card.length !== bin.length || !isLuhnValid(card)) wrong.push(card);
      seen.add(card);
    }
    expect(wrong).toEqual([]);
    expect(seen.size).toBe(30_000);
  });

  it('numbers serials through a bijection', () => {
    const scramble = new CardScramble(createRandom(3));
    const bodies = new Set(Array.from({ length: 10_000 }, (_, i) => scramble.body(i, 4)));
    expect(bodies.size).toBe(10_000);
  });

  it('other banks\' cards are Luhn-valid too', () => {
    const r = createRandom(1);
    for (let i = 0; i < 1000; i++) {
      const card = randomCardNumber(r);
      expect(isLuhnValid(card)).toBe(true);
      expect(OTHER_BANK_BINS.some((b) => card.startsWith(b.bin) && card.length === b.length)).toBe(true);
    }
  });
});
