import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Random, Weighted, createRandom, hash32 } from './prng.ts';

describe('Random (sfc32)', () => {
  it('repeats the same sequence for the same seed and stream', () => {
    const a = createRandom(42, 2, 7);
    const b = createRandom(42, 2, 7);
    expect(Array.from({ length: 100 }, () => a.uint32())).toEqual(Array.from({ length: 100 }, () => b.uint32()));
  });

  it('gives different sequences for different seeds, streams and orders', () => {
    const first = (r: Random) => Array.from({ length: 4 }, () => r.uint32()).join(',');
    const seen = new Set([first(createRandom(1, 2)), first(createRandom(2, 1)), first(createRandom(1, 3)), first(createRandom(1)), first(createRandom(2 ** 40 + 1))]);
    expect(seen.size).toBe(5);
  });

  it('keeps int() within its inclusive bounds', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, width) => {
      const r = createRandom(seed);
      for (let i = 0; i < 50; i++) {
        const v = r.int(min, min + width);
        if (v < min || v > min + width || !Number.isInteger(v)) return false;
      }
      return true;
    }));
  });

  it('looks uniform: 100,000 draws fill ten buckets evenly', () => {
    const r = createRandom(9);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(r.next() * 10)] += 1;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('hash32 is order-sensitive', () => {
    expect(hash32(1, 2)).not.toBe(hash32(2, 1));
  });
});

describe('Weighted', () => {
  it('picks in proportion to the weights', () => {
    const w = new Weighted([['a', 1], ['b', 3]] as const);
    const r = createRandom(3);
    let b = 0;
    for (let i = 0; i < 20_000; i++) if (w.pick(r) === 'b') b += 1;
    expect(b / 20_000).toBeGreaterThan(0.73);
    expect(b / 20_000).toBeLessThan(0.77);
  });
});
