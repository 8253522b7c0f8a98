import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { readHits } from '../identity/rate-limit-counts.ts';
import { blockCap, RateLimitQuotas } from './rate-limit-store.ts';

const MINUTE = 60_000;
const NOW = new Date('2026-11-25T02:00:00.000Z');

describe('the block a node claims', () => {
  it('is one hit for limits under 32 a minute, 1/16 of larger ones, never more than 32', () => {
    expect([1, 5, 31, 32, 100, 600, 12_000, 100_000].map(blockCap)).toEqual([1, 1, 1, 2, 6, 32, 32, 32]);
  });
});

describe.each(engines)('rate-limit quotas of two nodes on one $name database', (engine) => {
  let store: Store;
  let run = 0;
  beforeAll(async () => { store = await openStore(await engine.freshUrl()); });
  afterAll(async () => store.close());

  it('never allow more than the limit across both nodes, and refuse at most two blocks early', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 200 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 260 }),
      async (max, onA) => {
        const key = `address:prop-${run++}`;
        const [a, b] = [new RateLimitQuotas(store.db, () => NOW), new RateLimitQuotas(store.db, () => NOW)];
        let allowed = 0;
        let refused = 0;
        for (const toA of onA) {
          const { current } = await (toA ? a : b).take(key, MINUTE, max);
          if (current <= max) allowed += 1;
          else refused += 1;
        }
        expect(allowed).toBeLessThanOrEqual(max);
        if (refused > 0) expect(allowed).toBeGreaterThanOrEqual(max - 2 * blockCap(max));
        if (blockCap(max) === 1) expect(allowed).toBe(Math.min(max, onA.length));
      },
    ), { numRuns: 25 });
  });

  it('a busy key costs about one write per block, and the stored count never runs a block ahead', async () => {
    const quotas = new RateLimitQuotas(store.db, () => NOW);
    for (let i = 0; i < 1000; i++) expect((await quotas.take('staff:busy', MINUTE, 100_000)).current).toBe(i + 1);
    const stored = await readHits(store.db, 'staff:busy', NOW);
    expect(stored!.hits).toBeGreaterThanOrEqual(1000);
    expect(stored!.hits).toBeLessThan(1000 + 32);
  });

  it('concurrent hits on one node share its claim and are numbered once each', async () => {
    const quotas = new RateLimitQuotas(store.db, () => NOW);
    const counts = await Promise.all(Array.from({ length: 50 }, () => quotas.take('staff:concurrent', MINUTE, 40)));
    const allowed = counts.map((c) => c.current).filter((c) => c <= 40).sort((x, y) => x - y);
    expect(allowed).toEqual(Array.from({ length: allowed.length }, (_, i) => i + 1));
    expect(allowed.length).toBeGreaterThanOrEqual(40 - blockCap(40));
  });

  it('a zero-length window (the plugin accepts timeWindow 0) answers instead of claiming forever', async () => {
    let tick = NOW.getTime();
    const quotas = new RateLimitQuotas(store.db, () => new Date(tick++));
    for (let i = 0; i < 3; i++) expect((await quotas.take('address:zero', 0, 1)).current).toBe(1);
  });

  it('a window that has ended starts again for every node', async () => {
    let now = NOW;
    const [a, b] = [new RateLimitQuotas(store.db, () => now), new RateLimitQuotas(store.db, () => now)];
    for (let i = 0; i < 3; i++) await a.take('address:window', MINUTE, 3);
    expect((await b.take('address:window', MINUTE, 3)).current).toBe(4);
    now = new Date(NOW.getTime() + MINUTE);
    expect(await b.take('address:window', MINUTE, 3)).toEqual({ current: 1, ttl: MINUTE });
    expect((await a.take('address:window', MINUTE, 3)).current).toBe(2);
  });
});
