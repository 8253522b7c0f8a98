import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { clearFailures, isLocked, PER_NAME, recordFailure, throttleKey } from './throttle.ts';

const T0 = new Date('2026-11-02T01:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe.each(engines)('login throttle on $name', (engine) => {
  let store: Store;
  beforeAll(async () => { store = await openStore(await engine.freshUrl()); });
  afterAll(async () => { await store.close(); });

  it('locks a key at the fifth failure within 15 minutes, for 15 minutes', async () => {
    const keys = [throttleKey('portal-mobile', 'lock-me', PER_NAME)];
    for (let i = 0; i < 4; i++) {
      await recordFailure(store.db, keys, at(i));
      expect(await isLocked(store.db, keys, at(i))).toBe(false);
    }
    await recordFailure(store.db, keys, at(4));
    expect(await isLocked(store.db, keys, at(4))).toBe(true);
    expect(await isLocked(store.db, keys, at(18.9))).toBe(true);
    expect(await isLocked(store.db, keys, at(19))).toBe(false);
  });

  it('starts a new window when the old one has run out', async () => {
    const keys = [throttleKey('portal-mobile', 'slow-typist', PER_NAME)];
    for (let i = 0; i < 4; i++) await recordFailure(store.db, keys, at(i));
    await recordFailure(store.db, keys, at(16));
    expect(await isLocked(store.db, keys, at(16))).toBe(false);
    const row = await store.db.selectFrom('login_throttle').selectAll().where('key', '=', keys[0]!.key).executeTakeFirstOrThrow();
    expect(row.failures).toBe(1);
    expect(row.window_start).toBe(at(16).toISOString());
  });

  it('counts afresh after a lock expires', async () => {
    const keys = [throttleKey('portal-mobile', 'after-lock', PER_NAME)];
    for (let i = 0; i < 5; i++) await recordFailure(store.db, keys, at(0));
    expect(await isLocked(store.db, keys, at(1))).toBe(true);
    await recordFailure(store.db, keys, at(20));
    expect(await isLocked(store.db, keys, at(20))).toBe(false);
  });

  it('is locked when any one of several keys is', async () => {
    const user = throttleKey('portal-mobile', 'someone', PER_NAME);
    const address = throttleKey('sms-mobile', '13800000009', { maxFailures: 1, windowMs: 60_000, lockMs: 60_000 });
    await recordFailure(store.db, [address], at(0));
    expect(await isLocked(store.db, [user, address], at(0))).toBe(true);
  });

  it('forgets failures when cleared', async () => {
    const keys = [throttleKey('portal-mobile', 'forgiven', PER_NAME)];
    for (let i = 0; i < 5; i++) await recordFailure(store.db, keys, at(0));
    await clearFailures(store.db, keys);
    expect(await isLocked(store.db, keys, at(0))).toBe(false);
  });

  it('counts every one of concurrent failures', async () => {
    const keys = [throttleKey('portal-mobile', 'burst', { maxFailures: 50, windowMs: 60_000, lockMs: 60_000 })];
    await Promise.all(Array.from({ length: 20 }, () => recordFailure(store.db, keys, at(0))));
    const row = await store.db.selectFrom('login_throttle').selectAll().where('key', '=', keys[0]!.key).executeTakeFirstOrThrow();
    expect(row.failures).toBe(20);
  });

  it('stores digests, never the number typed (it is personal information)', async () => {
    await recordFailure(store.db, [throttleKey('portal-mobile', '13912345678', PER_NAME)], at(0));
    const rows = await store.db.selectFrom('login_throttle').select('key').execute();
    expect(rows.map((r) => r.key).join()).not.toContain('13912345678');
    expect(throttleKey('portal-mobile', ' Alice ', PER_NAME).key).toBe(throttleKey('portal-mobile', 'alice', PER_NAME).key);
  });
});
