import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSignerKey, formatVerifierKey, generateNoteKey, parseSignerKey, parseVerifierKey } from './note-keys.ts';
import { openNote, signNote } from './note.ts';
import { isValidKeyName, SIGNATURE_TYPE_COSIGNATURE_V1 } from './note-verifier.ts';

const go = JSON.parse(readFileSync(new URL('./fixtures/go-note-example.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const vkey = go.peterVerifierKey as string;
const skey = go.peterSignerKey as string;

describe("key strings of Go's example", () => {
  it('parse to the key IDs they state', () => {
    expect(parseVerifierKey(vkey)).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
    expect(parseSignerKey(skey)).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
  });

  it('are written back identically from the key bytes', () => {
    const signer = parseSignerKey(skey);
    expect(formatVerifierKey('PeterNeumann', signer.publicKey)).toBe(vkey);
    expect(formatSignerKey('PeterNeumann', Buffer.from(skey.split('+').slice(4).join('+'), 'base64').subarray(1))).toBe(skey);
  });

  it('split on the first two + only: the base64 part may hold + itself', () => {
    expect(skey.split('+').length).toBeGreaterThan(5);
    expect(() => parseSignerKey(skey)).not.toThrow();
  });
});

describe("corrupted verifier keys (Go's TestNewVerifier)", () => {
  const malformed = expect.objectContaining({ code: 'malformed_key' });

  it.each(Object.entries(go.badVerifierKeys as Record<string, string>))('%s', (_, key) => {
    expect(() => parseVerifierKey(key)).toThrow(malformed);
  });

  it('every proper substring is refused', () => {
    for (let i = 0; i <= vkey.length; i++) {
      for (let j = i + 1; j <= vkey.length; j++) {
        if (i !== 0 || j !== vkey.length) expect(() => parseVerifierKey(vkey.slice(i, j))).toThrow(malformed);
      }
    }
  });

  it('every single-byte increment is refused', () => {
    for (let i = 0; i < vkey.length; i++) {
      const changed = vkey.slice(0, i) + String.fromCharCode(vkey.charCodeAt(i) + 1) + vkey.slice(i + 1);
      expect(() => parseVerifierKey(changed)).toThrow(malformed);
    }
  });

  it('a signer key whose ID does not match is refused', () => {
    expect(() => parseSignerKey(skey.replace('c74f20a3', 'c74f20a4'))).toThrow(malformed);
    expect(() => parseSignerKey(skey.slice('PRIVATE+'.length))).toThrow(malformed);
  });
});

describe('generated keys', () => {
  it('sign notes that their verifier key opens', () => {
    const { signerKey, verifierKey } = generateNoteKey('flowguard.example/audit');
    expect(verifierKey.startsWith('flowguard.example/audit+')).toBe(true);
    const note = signNote('hello\n', [parseSignerKey(signerKey)]);
    expect(openNote(note, [parseVerifierKey(verifierKey)]).verified).toHaveLength(1);
  });

  it('of cosignature type 0x04 parse to cosignature verifiers with their own key ID', () => {
    const { publicKey } = parseSignerKey(generateNoteKey('w').signerKey);
    const cosigner = parseVerifierKey(formatVerifierKey('witness.example/w1', publicKey, SIGNATURE_TYPE_COSIGNATURE_V1));
    const note = parseVerifierKey(formatVerifierKey('witness.example/w1', publicKey));
    expect(cosigner.keyId).not.toBe(note.keyId);
  });
});

describe('key names (signed-note §Format)', () => {
  it.each(['', 'a b', 'a+b', 'a\u00a0b', 'a\u3000b', 'a\nb', 'a\u2028b'])('refuses %j', (name) => expect(isValidKeyName(name)).toBe(false));
  it.each(['example.com/log', 'PeterNeumann', '流水卫士/审计'])('accepts %j', (name) => expect(isValidKeyName(name)).toBe(true));
});
