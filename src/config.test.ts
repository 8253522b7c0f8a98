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

describe('configuration read once, for every node alike', () => {
  it('polls the settings version every 2 s unless FLOWGUARD_SETTINGS_POLL_MS says otherwise', () => {
    expect(loadConfig({}).settingsPollMs).toBe(2000);
    expect(loadConfig({ FLOWGUARD_SETTINGS_POLL_MS: '500' }).settingsPollMs).toBe(500);
  });

  it.each(['0', '99', '1.5', 'soon', '-2000'])('refuses FLOWGUARD_SETTINGS_POLL_MS=%s at start, naming the variable', (value) => {
    expect(() => loadConfig({ FLOWGUARD_SETTINGS_POLL_MS: value })).toThrow(/FLOWGUARD_SETTINGS_POLL_MS must be a whole number of milliseconds, at least 100/);
  });

  it('reads the log level and the verifiable log settings with the rest', () => {
    const config = loadConfig({ FLOWGUARD_LOG_LEVEL: 'warn', FLOWGUARD_LOG_ORIGIN: 'log.bank.example/statements' });
    expect(config.logLevel).toBe('warn');
    expect(config.log.origin).toBe('log.bank.example/statements');
    expect(loadConfig({}).logLevel).toBe('info');
  });
});
