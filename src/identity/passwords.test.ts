import { describe, expect, it } from 'vitest';
import { parseOptions } from '@node-rs/argon2';
import { DUMMY_PASSWORD_HASH, hashPassword, PASSWORD_HASH_OPTIONS, verifyPassword } from './passwords.ts';

describe('password hashes', () => {
  it('are argon2id with the policy parameters, and verify only the right password', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse')).toBe(true);
    expect(await verifyPassword(stored, 'correct horsE')).toBe(false);
  });

  it('salt each hash, so equal passwords give different hashes', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});

describe('the dummy hash for unknown usernames', () => {
  it('costs what a real hash costs: same algorithm and parameters as the policy', () => {
    const dummy = parseOptions(DUMMY_PASSWORD_HASH);
    expect(dummy).toMatchObject({
      algorithm: PASSWORD_HASH_OPTIONS.algorithm,
      memoryCost: PASSWORD_HASH_OPTIONS.memoryCost,
      timeCost: PASSWORD_HASH_OPTIONS.timeCost,
      parallelism: PASSWORD_HASH_OPTIONS.parallelism,
      outputLen: PASSWORD_HASH_OPTIONS.outputLen,
    });
  });

  it('never lets anyone in, whatever the password', async () => {
    expect(await verifyPassword(null, '')).toBe(false);
    expect(await verifyPassword(null, 'flowguard-dummy-password-never-matches')).toBe(false);
  });
});

describe('a malformed stored hash', () => {
  it('is a failed verification, not an exception', async () => {
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
