import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEVICE_COOKIE_MAX_AGE_SECONDS, deviceCookieName, issueDeviceCookie, verifyDeviceCookie } from './device-cookie.ts';

const SECRET = 'test-only-device-secret-0123456789abcdef';
const NOW = new Date('2026-11-02T01:00:00.000Z');
const after = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('device cookies', () => {
  it('prove the device for the username they were issued to, in any case or spacing', () => {
    const value = issueDeviceCookie(SECRET, 'alice', NOW);
    const device = verifyDeviceCookie(SECRET, 'alice', value, NOW);
    expect(device?.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(verifyDeviceCookie(SECRET, ' Alice ', value, NOW)).toEqual(device);
  });

  it('are new devices each time: two sign-ins give two nonces', () => {
    const a = verifyDeviceCookie(SECRET, 'alice', issueDeviceCookie(SECRET, 'alice', NOW), NOW);
    const b = verifyDeviceCookie(SECRET, 'alice', issueDeviceCookie(SECRET, 'alice', NOW), NOW);
    expect(a!.nonce).not.toBe(b!.nonce);
  });

  it('prove nothing for another username, under another secret, or after 180 days', () => {
    const value = issueDeviceCookie(SECRET, 'alice', NOW);
    expect(verifyDeviceCookie(SECRET, 'bob', value, NOW)).toBeNull();
    expect(verifyDeviceCookie(`${SECRET}-rotated`, 'alice', value, NOW)).toBeNull();
    expect(verifyDeviceCookie(SECRET, 'alice', value, after(DEVICE_COOKIE_MAX_AGE_SECONDS))).not.toBeNull();
    expect(verifyDeviceCookie(SECRET, 'alice', value, after(DEVICE_COOKIE_MAX_AGE_SECONDS + 1))).toBeNull();
    expect(verifyDeviceCookie(SECRET, 'alice', undefined, NOW)).toBeNull();
  });

  it('prove nothing once any character is changed', () => {
    const value = issueDeviceCookie(SECRET, 'alice', NOW);
    fc.assert(fc.property(fc.nat(value.length - 1), fc.constantFrom(...'0123456789abcXYZ_-.'), (i, c) => {
      fc.pre(value[i] !== c);
      expect(verifyDeviceCookie(SECRET, 'alice', value.slice(0, i) + c + value.slice(i + 1), NOW)).toBeNull();
    }));
  });

  it('never throw on what a client may send', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 40 }), (value, username) => {
      expect(verifyDeviceCookie(SECRET, username, value, NOW)).toBeNull();
    }));
  });

  it('are named per user without showing the username', () => {
    const name = deviceCookieName(SECRET, 'alice');
    expect(name).toMatch(/^fg_device_[A-Za-z0-9]{16}$/);
    expect(name).toBe(deviceCookieName(SECRET, 'ALICE'));
    expect(name).not.toBe(deviceCookieName(SECRET, 'bob'));
    expect(name).not.toBe(deviceCookieName(`${SECRET}-other`, 'alice'));
  });
});
