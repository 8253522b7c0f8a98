import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { checkCommitment, COMMITMENT_PREFIX, entryCommitment, newSalt } from './commitment.ts';

const entry = Buffer.from('{"action":"statement.viewed","v":1}');

describe('the leaf commits to salt and entry, revealing neither', () => {
  it('is fg-entry/v1, a space and base64(SHA-256(salt ‖ entry))', () => {
    const salt = Buffer.alloc(32, 9);
    const digest = createHash('sha256').update(Buffer.concat([salt, entry])).digest('base64');
    expect(entryCommitment(salt, entry).toString('ascii')).toBe(`${COMMITMENT_PREFIX}${digest}`);
    expect(entryCommitment(salt, entry)).toHaveLength(12 + 44);
  });

  it('differs for each fresh salt', () => {
    const a = newSalt();
    const b = newSalt();
    expect(a).toHaveLength(32);
    expect(entryCommitment(a, entry).equals(entryCommitment(b, entry))).toBe(false);
  });
});

describe('checking a revealed entry', () => {
  const salt = newSalt();
  const leaf = entryCommitment(salt, entry);
  it('accepts the entry and salt that were committed', () => expect(() => checkCommitment(leaf, salt, entry)).not.toThrow());
  it('rejects a changed entry', () => {
    expect(() => checkCommitment(leaf, salt, Buffer.from(entry.toString().replace('viewed', 'exported')))).toThrow(expect.objectContaining({ code: 'commitment_mismatch' }));
  });
  it('rejects another salt', () => expect(() => checkCommitment(leaf, newSalt(), entry)).toThrow(expect.objectContaining({ code: 'commitment_mismatch' })));
  it('refuses a salt that is not 32 bytes', () => expect(() => entryCommitment(Buffer.alloc(16), entry)).toThrow(expect.objectContaining({ code: 'invalid_argument' })));
});
