import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { ACCOUNT, clearDelays, countFailure, delayKey, DEVICE, holdOn, STAFF_ADDRESS } from './login-delays.ts';

const T0 = new Date('2026-11-02T01:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(engines)('sign-in delays on $name', (engine) => {
  let store: Store;
  beforeAll(async () => { store = await openStore(await engine.freshUrl()); });
  afterAll(async () => { await store.close(); });

  it('grow with each failure past the free ones, then stop at 15 minutes', async () => {
    const keys = [delayKey('login-user', 'grows', DEVICE)];
    const waits: number[] = [];
    let t = 0;
    for (let i = 0; i < 18; i++) {
      await countFailure(store.db, keys, at(t));
      const hold = await holdOn(store.db, keys, at(t));
      const wait = hold?.reason === 'delayed' ? hold.retryAfterSeconds : 0;
      waits.push(wait);
      t += wait;
    }
    expect(waits).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
  });

  it('lock an account at 20 failures for good: its window ending does not lift it, clearing does', async () => {
    const keys = [delayKey('login-user', 'locks', ACCOUNT)];
    for (let i = 0; i < 19; i++) await countFailure(store.db, keys, at(i));
    expect(await holdOn(store.db, keys, at(18))).toEqual({ reason: 'delayed', retryAfterSeconds: 900 });
    expect(await holdOn(store.db, keys, at(3600))).toBeNull();
    await countFailure(store.db, keys, at(3600));
    expect(await holdOn(store.db, keys, at(3600))).toEqual({ reason: 'locked' });
    await countFailure(store.db, keys, at(3 * 86_400));
    expect(await holdOn(store.db, keys, at(30 * 86_400))).toEqual({ reason: 'locked' });
    await clearDelays(store.db, keys);
    expect(await holdOn(store.db, keys, at(30 * 86_400))).toBeNull();
  });

  it('never lock an address or a device', async () => {
    const keys = [delayKey('login-ip', '10.7.7.7', STAFF_ADDRESS), delayKey('login-device', 'nonce', DEVICE)];
    for (let i = 0; i < 300; i++) await countFailure(store.db, keys, at(i * 900));
    expect((await holdOn(store.db, keys, at(300 * 900)))?.reason).not.toBe('locked');
  });

  it('start over when a window has ended', async () => {
    const keys = [delayKey('login-ip', '10.8.8.8', STAFF_ADDRESS)];
    for (let i = 0; i < 110; i++) await countFailure(store.db, keys, at(0));
    expect((await holdOn(store.db, keys, at(1)))?.reason).toBe('delayed');
    await countFailure(store.db, keys, at(3600));
    expect(await holdOn(store.db, keys, at(3600))).toBeNull();
    const row = await store.db.selectFrom('login_delays').selectAll().where('key', '=', keys[0]!.key).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ failures: 1, window_start: at(3600).toISOString() });
  });

  it('answer the strongest hold of several keys: a lock before any delay, else the longest delay', async () => {
    const short = delayKey('login-device', 'short', DEVICE);
    const long = delayKey('login-device', 'long', DEVICE);
    const locked = delayKey('login-user', 'strongest', ACCOUNT);
    for (let i = 0; i < 6; i++) await countFailure(store.db, [short], at(0));
    for (let i = 0; i < 9; i++) await countFailure(store.db, [long], at(0));
    expect(await holdOn(store.db, [short, long], at(0))).toEqual({ reason: 'delayed', retryAfterSeconds: 8 });
    for (let i = 0; i < 20; i++) await countFailure(store.db, [locked], at(0));
    expect(await holdOn(store.db, [short, locked, long], at(0))).toEqual({ reason: 'locked' });
  });

  it('count every one of concurrent failures', async () => {
    const keys = [delayKey('login-user', 'burst', ACCOUNT)];
    await Promise.all(Array.from({ length: 25 }, () => countFailure(store.db, keys, at(0))));
    const row = await store.db.selectFrom('login_delays').selectAll().where('key', '=', keys[0]!.key).executeTakeFirstOrThrow();
    expect(row.failures).toBe(25);
    expect(row.locked_at).toBe(at(0).toISOString());
  });

  it('store digests, never the name typed (it may be a password)', async () => {
    await countFailure(store.db, [delayKey('login-user', 'Hunter2-typed-as-username', ACCOUNT)], at(0));
    const rows = await store.db.selectFrom('login_delays').select('key').execute();
    expect(rows.map((r) => r.key).join()).not.toMatch(/hunter2/i);
    expect(delayKey('login-user', ' Alice ', ACCOUNT).key).toBe(delayKey('login-user', 'alice', ACCOUNT).key);
  });
});
