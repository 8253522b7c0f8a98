import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ACCOUNT, delayAfter, DEVICE, holdOf, PORTAL_ADDRESS, SMS_ADDRESS, STAFF_ADDRESS, type DelayPolicy } from './login-delays.ts';

const POLICIES: DelayPolicy[] = [ACCOUNT, DEVICE, STAFF_ADDRESS, PORTAL_ADDRESS, SMS_ADDRESS];
const T0 = new Date('2026-11-02T01:00:00.000Z');
const row = (failures: number, lastFailure: Date, lockedAt: string | null = null) =>
  ({ key: 'k', failures, window_start: T0.toISOString(), last_failure_at: lastFailure.toISOString(), locked_at: lockedAt });

describe('delayAfter', () => {
  it('is free for the free failures, then 1 s, 2 s, 4 s … and capped at 15 minutes', () => {
    expect([0, 1, 5].map((n) => delayAfter(n, ACCOUNT))).toEqual([0, 0, 0]);
    expect([6, 7, 8, 9].map((n) => delayAfter(n, ACCOUNT))).toEqual([1000, 2000, 4000, 8000]);
    expect(delayAfter(15, ACCOUNT)).toBe(512_000);
    expect(delayAfter(16, ACCOUNT)).toBe(15 * 60_000);
    expect(delayAfter(5000, ACCOUNT)).toBe(15 * 60_000);
  });

  it('never shrinks as failures grow and never passes the cap, under every policy', () => {
    fc.assert(fc.property(fc.constantFrom(...POLICIES), fc.nat(100_000), (policy, n) => {
      const d = delayAfter(n, policy);
      expect(Number.isFinite(d)).toBe(true);
      expect(d).toBeLessThanOrEqual(policy.maxDelayMs);
      expect(delayAfter(n + 1, policy)).toBeGreaterThanOrEqual(d);
    }));
  });

  it('leaves a branch of 30 tellers mistyping twice each under the address budget', () => {
    expect(delayAfter(60, STAFF_ADDRESS)).toBe(0);
  });
});

describe('holdOf', () => {
  it('holds an attempt until the delay has passed, with the seconds left rounded up', () => {
    const r = row(7, T0);
    expect(holdOf(r, ACCOUNT, new Date(T0.getTime() + 500))).toEqual({ reason: 'delayed', retryAfterSeconds: 2 });
    expect(holdOf(r, ACCOUNT, new Date(T0.getTime() + 1001))).toEqual({ reason: 'delayed', retryAfterSeconds: 1 });
    expect(holdOf(r, ACCOUNT, new Date(T0.getTime() + 2000))).toBeNull();
  });

  it('holds nothing once the window is over, except a lock, which nothing but clearing ends', () => {
    const late = new Date(T0.getTime() + ACCOUNT.windowMs);
    expect(holdOf(row(16, T0), ACCOUNT, late)).toBeNull();
    expect(holdOf(row(20, T0, T0.toISOString()), ACCOUNT, new Date(T0.getTime() + 365 * 86_400_000))).toEqual({ reason: 'locked' });
    expect(holdOf(undefined, ACCOUNT, T0)).toBeNull();
  });
});
