import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('the device cookie secret', () => {
  it('comes from FLOWGUARD_DEVICE_SECRET', () => {
    const secret = 'a-bank-secret-of-at-least-32-characters!';
    expect(loadConfig({ FLOWGUARD_DEVICE_SECRET: secret }).deviceSecret).toBe(secret);
  });

  it('is refused when too short to key HMAC-SHA256 well', () => {
    expect(() => loadConfig({ FLOWGUARD_DEVICE_SECRET: 'demo' })).toThrow(/at least 32 characters/);
  });

  it('is random per process when unset (demo): never a constant anyone could sign cookies with', () => {
    const [a, b] = [loadConfig({}).deviceSecret, loadConfig({}).deviceSecret];
    expect(a).toHaveLength(43);
    expect(a).not.toBe(b);
  });
});
