import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { purgeExpiredIdentityRows } from './housekeeping.ts';
import { createSession, resolveSession } from './sessions.ts';
import { isLocked, PER_ADDRESS, PER_NAME, recordFailure, throttleKey } from './throttle.ts';

const T0 = new Date('2026-11-02T01:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe.each(engines)('identity housekeeping on $name', (engine) => {
  let store: Store;
  beforeAll(async () => { store = await openStore(await engine.freshUrl()); });
  afterAll(async () => { await store.close(); });

  it('deletes expired sessions and spent throttle counts, keeps live sessions, locks and open windows', async () => {
    const expired = await createSession(store.db, { kind: 'staff', employeeId: 'E000001' }, 1, at(0));
    const live = await createSession(store.db, { kind: 'customer', customerId: 'C0000001' }, 8, at(0));
    const spent = [throttleKey('login-user', 'long-ago', PER_NAME)];
    const locked = [throttleKey('login-user', 'locked-out', PER_NAME)];
    const open = [throttleKey('login-ip', '10.0.0.9', PER_ADDRESS)];
    await recordFailure(store.db, spent, at(0));
    for (let i = 0; i < 5; i++) await recordFailure(store.db, locked, at(70));
    await recordFailure(store.db, open, at(75));

    expect(await purgeExpiredIdentityRows(store.db, at(80))).toEqual({ sessions: 1, throttleCounts: 1 });
    expect(await resolveSession(store.db, live.token, at(80))).not.toBeNull();
    expect(await store.db.selectFrom('sessions').select('expires_at').where('expires_at', '=', expired.expiresAt).execute()).toEqual([]);
    expect(await isLocked(store.db, locked, at(80))).toBe(true);
    const left = (await store.db.selectFrom('login_throttle').select('key').execute()).map((r) => r.key).sort();
    expect(left).toEqual([locked[0]!.key, open[0]!.key].sort());
    expect(await purgeExpiredIdentityRows(store.db, at(80))).toEqual({ sessions: 0, throttleCounts: 0 });
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
          const keys = [throttleKey('login-user', 'someone', PER_NAME)];
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
});
