import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { purgeExpiredIdentityRows } from './housekeeping.ts';
import { ACCOUNT, countFailure, delayKey, holdOn, STAFF_ADDRESS, type DelayKey } from './login-delays.ts';
import { createSession, resolveSession } from './sessions.ts';
import { isLocked, PER_NAME, recordFailure, throttleKey } from './throttle.ts';
import { claimHits, readHits } from './rate-limit-counts.ts';

const T0 = new Date('2026-11-02T01:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const HOUR = 60;

describe.each(engines)('identity housekeeping on $name', (engine) => {
  let store: Store;
  beforeAll(async () => { store = await openStore(await engine.freshUrl()); });
  afterAll(async () => { await store.close(); });

  it('deletes expired sessions and spent throttle counts, keeps live sessions, locks and open windows', async () => {
    const expired = await createSession(store.db, { kind: 'staff', employeeId: 'E000001' }, 1, at(0));
    const live = await createSession(store.db, { kind: 'customer', customerId: 'C0000001' }, 8, at(0));
    const spent = [throttleKey('portal-mobile', '13800000001', PER_NAME)];
    const locked = [throttleKey('portal-mobile', '13800000002', PER_NAME)];
    const open = [throttleKey('sms-mobile', '13800000003', PER_NAME)];
    await recordFailure(store.db, spent, at(0));
    for (let i = 0; i < 5; i++) await recordFailure(store.db, locked, at(70));
    await recordFailure(store.db, open, at(75));

    expect(await purgeExpiredIdentityRows(store.db, at(80))).toEqual({ sessions: 1, throttleCounts: 1, loginDelays: 0, rateLimitCounts: 0 });
    expect(await resolveSession(store.db, live.token, at(80))).not.toBeNull();
    expect(await store.db.selectFrom('sessions').select('expires_at').where('expires_at', '=', expired.expiresAt).execute()).toEqual([]);
    expect(await isLocked(store.db, locked, at(80))).toBe(true);
    const left = (await store.db.selectFrom('login_throttle').select('key').execute()).map((r) => r.key).sort();
    expect(left).toEqual([locked[0]!.key, open[0]!.key].sort());
    expect(await purgeExpiredIdentityRows(store.db, at(80))).toEqual({ sessions: 0, throttleCounts: 0, loginDelays: 0, rateLimitCounts: 0 });
  });

  it('deletes sign-in delays only once every window is over, and never a lock', async () => {
    const spent = [delayKey('login-ip', '10.0.0.1', STAFF_ADDRESS)];
    const recentAccount = [delayKey('login-user', 'typed-yesterday', ACCOUNT)];
    const locked = [delayKey('login-user', 'locked-long-ago', ACCOUNT)];
    await countFailure(store.db, spent, at(0));
    await countFailure(store.db, recentAccount, at(2 * HOUR));
    for (let i = 0; i < ACCOUNT.lockAfter!; i++) await countFailure(store.db, locked, at(0));

    // 25 hours on, the address's one-hour window and the account's 24-hour window from hour 0 are
    // over; the account counted at hour 2 still has an hour to run.
    expect((await purgeExpiredIdentityRows(store.db, at(25 * HOUR))).loginDelays).toBe(1);
    const left = (await store.db.selectFrom('login_delays').select('key').execute()).map((r) => r.key).sort();
    expect(left).toEqual([recentAccount[0]!.key, locked[0]!.key].sort());
    expect(await holdOn(store.db, locked, at(1000 * HOUR))).toEqual({ reason: 'locked' });
  });

  it('deletes rate-limit counts once their window has ended, and keeps open windows', async () => {
    const minute = 60_000;
    await claimHits(store.db, 'address:10.0.0.9', 1, minute, at(0));
    await claimHits(store.db, 'staff:E000001', 1, minute, at(0.5));
    expect(await claimHits(store.db, 'staff:E000001', 2, minute, at(0.75))).toEqual({ hits: 3, windowEnd: at(1.5).getTime() });
    expect((await purgeExpiredIdentityRows(store.db, at(1))).rateLimitCounts).toBe(1);
    expect(await readHits(store.db, 'staff:E000001', at(1))).toEqual({ hits: 3, windowEnd: at(1.5).getTime() });
    expect(await readHits(store.db, 'address:10.0.0.9', at(1))).toBeNull();
    // Keys are digests: neither the address nor the employee ID is stored.
    const keys = (await store.db.selectFrom('rate_limit_counts').select('key').execute()).map((r) => r.key);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('identity housekeeping changes no throttle decision', () => {
  it('a purged and an unpurged database lock the same keys at the same times afterwards', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 12 }),
      fc.integer({ min: 0, max: 80 }),
      fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 8 }),
      async (before, purgeAt, after) => {
        const [kept, purged] = [await openStore('sqlite::memory:'), await openStore('sqlite::memory:')];
        try {
          const keys = [throttleKey('portal-mobile', '13800000001', PER_NAME)];
          for (const minute of [...before].sort((a, b) => a - b)) {
            for (const store of [kept, purged]) await recordFailure(store.db, keys, at(minute));
          }
          const purgeTime = Math.max(purgeAt, ...before);
          await purgeExpiredIdentityRows(purged.db, at(purgeTime));
          for (const later of [...after].sort((a, b) => a - b).map((m) => purgeTime + m)) {
            expect(await isLocked(purged.db, keys, at(later))).toBe(await isLocked(kept.db, keys, at(later)));
            for (const store of [kept, purged]) await recordFailure(store.db, keys, at(later));
            expect(await isLocked(purged.db, keys, at(later))).toBe(await isLocked(kept.db, keys, at(later)));
          }
        } finally {
          await kept.close();
          await purged.close();
        }
      },
    ), { numRuns: 60 });
  }, 120_000);

  it('a purged and an unpurged database hold back the same sign-ins for the same time afterwards', async () => {
    const keys: DelayKey[] = [delayKey('login-user', 'someone', ACCOUNT), delayKey('login-ip', '10.0.0.9', STAFF_ADDRESS)];
    // Minutes over two days, so both the one-hour and the 24-hour windows end in some runs.
    const minute = fc.integer({ min: 0, max: 48 * HOUR });
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(minute, fc.nat(1)), { maxLength: 30 }),
      minute,
      fc.array(fc.tuple(fc.integer({ min: 0, max: 30 * HOUR }), fc.nat(1)), { maxLength: 12 }),
      async (before, purgeAt, after) => {
        const [kept, purged] = [await openStore('sqlite::memory:'), await openStore('sqlite::memory:')];
        try {
          const byTime = (steps: Array<[number, number]>) => [...steps].sort((a, b) => a[0] - b[0]);
          for (const [m, k] of byTime(before)) for (const store of [kept, purged]) await countFailure(store.db, [keys[k]!], at(m));
          const purgeTime = Math.max(purgeAt, ...before.map(([m]) => m));
          await purgeExpiredIdentityRows(purged.db, at(purgeTime));
          for (const [m, k] of byTime(after)) {
            const later = at(purgeTime + m);
            expect(await holdOn(purged.db, keys, later)).toEqual(await holdOn(kept.db, keys, later));
            for (const store of [kept, purged]) await countFailure(store.db, [keys[k]!], later);
            expect(await holdOn(purged.db, keys, later)).toEqual(await holdOn(kept.db, keys, later));
          }
        } finally {
          await kept.close();
          await purged.close();
        }
      },
    ), { numRuns: 60 });
  }, 120_000);
});
