/**
 * The demo bank's only source of randomness: a small seeded generator, so the same seed always
 * produces the same bank, byte for byte, on every machine.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator from PractRand: 128
 * bits of state, passes PractRand and BigCrush, four 32-bit additions/shifts per draw). It is NOT a
 * cryptographic generator and must never be used for secrets; it only has to look random to a person
 * and be fast (tens of millions of draws per second are needed to build a year of statements).
 *
 * Streams: `createRandom(seed, STREAM.customer, 42)` derives an independent stream from any list of
 * integers by hashing them with the murmur3 finaliser, so customer 42 looks the same whatever the
 * size of the bank or the order it is generated in.
 */

/** Stream labels, one per independent concern. Adding a label never changes existing streams. */
export const STREAM = {
  staff: 1,
  customer: 2,
  transactions: 3,
  honeytoken: 4,
  plan: 5,
  home: 6,
  tickets: 7,
  cardScramble: 8,
  pseudonym: 9,
} as const;

/** murmur3's 32-bit finaliser: a bijective mix with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Splits any finite number into 32-bit words so seeds above 2^32 (or negative) still matter. */
function words(n: number): number[] {
  const i = Math.trunc(n);
  const lo = i >>> 0;
  const hi = Math.floor(i / 4294967296) >>> 0;
  return hi === 0 ? [lo] : [lo, hi];
}

/** Hashes a list of integers to one 32-bit value (order-sensitive). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    for (const w of words(p)) h = fmix32((h ^ w) + 0x6d2b79f5 + (h << 6) + (h >>> 2));
  }
  return h;
}

/** A seeded stream of random numbers with the helpers the generators need. */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(...seed: number[]) {
    const h = hash32(...seed);
    this.#a = fmix32(h ^ 0x1b873593);
    this.#b = fmix32(h ^ 0xcc9e2d51);
    this.#c = fmix32(h ^ 0xe6546b64);
    this.#d = 1;
    // Discard the first outputs: sfc32's state needs a few rounds to mix a correlated seed.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The next 32-bit unsigned integer (sfc32 step). */
  uint32(): number {
    const a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.#c = (r + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A number between min and max whose logarithm is uniform: most draws are small, a few large. */
  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min)));
  }

  /** `count` decimal digits as a string (leading zeros allowed). */
  digits(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += String.fromCharCode(48 + Math.floor(this.next() * 10));
    return s;
  }

  /** `count` upper-case hexadecimal digits. */
  hex(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += '0123456789ABCDEF'[Math.floor(this.next() * 16)];
    return s;
  }
}

/** Creates an independent stream from a seed and any number of stream labels or indices. */
export function createRandom(...seed: number[]): Random {
  return new Random(...seed);
}

/** A table of values with relative weights, picked in O(log n). */
export class Weighted<T> {
  readonly #values: T[];
  readonly #cumulative: number[];
  readonly #total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    if (entries.length === 0) throw new RangeError('a weighted table needs at least one entry');
    this.#values = entries.map(([v]) => v);
    let sum = 0;
    this.#cumulative = entries.map(([, w]) => (sum += w));
    this.#total = sum;
  }

  pick(rng: Random): T {
    const x = rng.next() * this.#total;
    const cum = this.#cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < (cum[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return this.#values[lo] as T;
  }

  get values(): readonly T[] {
    return this.#values;
  }
}
