import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatNote, openNote, parseNote, parseSignatureLines, signNote } from './note.ts';
import { parseSignerKey, parseVerifierKey } from './note-keys.ts';
import { createNoteSigner } from './note-verifier.ts';

const go = JSON.parse(readFileSync(new URL('./fixtures/go-note-example.json', import.meta.url), 'utf8')) as Record<string, string>;
const peter = parseVerifierKey(go.peterVerifierKey!);
const enoch = parseVerifierKey(go.enochVerifierKey!);
const peterSigner = parseSignerKey(go.peterSignerKey!);
const text = go.text!;
const [peterSig, enochSig] = go.doublySignedNote!.slice(text.length + 1).split(/(?<=\n)/) as [string, string];

describe("Go's sumdb/note worked example, byte for byte", () => {
  it('signs the text with PeterNeumann exactly as the Go doc comment shows', () => {
    expect(signNote(text, [peterSigner])).toBe(go.signedNote);
  });

  it('opens the example with the PeterNeumann verifier key', () => {
    const note = openNote(Buffer.from(go.signedNote!), [peter]);
    expect(note.text).toBe(text);
    expect(note.verified).toHaveLength(1);
    expect(note.verified[0]).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
  });

  it('keeps EnochRoot aside when only Peter is trusted, verifies both when both are', () => {
    const onlyPeter = openNote(go.doublySignedNote!, [peter]);
    expect(onlyPeter.unverified.map((s) => s.name)).toEqual(['EnochRoot']);
    const both = openNote(go.doublySignedNote!, [peter, enoch]);
    expect(both.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
  });

  it('re-signing keeps existing signatures first, as note.Sign does', () => {
    const parsed = parseNote(go.doublySignedNote!);
    expect(signNote(text, [peterSigner], parsed.signatures.slice(1))).toBe(`${text}\n${enochSig}${peterSig}`);
    expect(formatNote(parsed)).toBe(go.doublySignedNote);
  });
});

describe('signatures from unknown keys', () => {
  it('are ignored, but a note needs at least one trusted signature', () => {
    expect(() => openNote(go.doublySignedNote!, [])).toThrow(expect.objectContaining({ code: 'unknown_key' }));
    expect(() => openNote(`${text}\n${enochSig}`, [peter])).toThrow(expect.objectContaining({ code: 'unknown_key' }));
  });

  it('with a trusted name but another key ID are unknown, not bad', () => {
    const other = createNoteSigner('PeterNeumann', Buffer.alloc(32, 5));
    const note = signNote(text, [other], parseNote(go.signedNote!).signatures);
    expect(openNote(note, [peter]).unverified).toHaveLength(1);
  });
});

describe('a bad signature from a trusted key', () => {
  it('rejects the whole note (Go: invalid signature)', () => {
    const altered = `${text}\n${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`;
    expect(() => openNote(altered, [peter])).toThrow(expect.objectContaining({ code: 'bad_signature' }));
  });

  it('rejects an altered text', () => {
    expect(() => openNote(go.signedNote!.replace('problem,', 'problem;'), [peter])).toThrow(expect.objectContaining({ code: 'bad_signature' }));
  });
});

describe('duplicate signatures', () => {
  it('count once per key, as in Go', () => {
    const enochAltered = `${enochSig.slice(0, 60)}ABCD${enochSig.slice(60)}`;
    const note = openNote(`${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${enochAltered}`, [peter]);
    expect(note.verified).toHaveLength(1);
    expect(note.unverified).toHaveLength(2);
  });

  it('two trusted keys with the same name and ID are ambiguous', () => {
    expect(() => openNote(go.signedNote!, [peter, peter])).toThrow(expect.objectContaining({ code: 'ambiguous_key' }));
  });
});

describe("malformed notes (Go's TestOpen bad messages)", () => {
  it.each([
    ['no blank line', text],
    ['no signature', `${text}\n`],
    ['a signature without final newline', `${text}\n${peterSig.slice(0, -1)}`],
    ['a control character', `\x01${text}\n${peterSig}`],
    ['a name with a space', `${text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`],
    ['a line that is not a signature', `${text}\n${peterSig}Unexpected line.\n`],
    ['more than 100 signatures', `${text}\n${peterSig.repeat(101)}`],
    ['a carriage return', `${text.replace('\n', '\r\n')}\n${peterSig}`],
    ['non-canonical base64', `${text}\n${peterSig.replace('AM=\n', 'AN=\n')}`],
  ])('%s', (_, message) => {
    expect(() => openNote(message, [peter])).toThrow(expect.objectContaining({ code: 'malformed_note' }));
  });

  it('invalid UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from([0xff]), Buffer.from(go.signedNote!)]);
    expect(() => openNote(bytes, [peter])).toThrow(expect.objectContaining({ code: 'malformed_note' }));
  });

  it('a text to sign without final newline', () => {
    expect(() => signNote('no newline', [peterSigner])).toThrow(expect.objectContaining({ code: 'malformed_note' }));
  });
});

describe('signature lines on their own (witness responses)', () => {
  it('parse and write back unchanged', () => {
    const lines = parseSignatureLines(peterSig + enochSig);
    expect(lines.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(formatNote({ text, signatures: lines })).toBe(go.doublySignedNote);
  });
});
