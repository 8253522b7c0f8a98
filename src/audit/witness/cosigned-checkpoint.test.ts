import { describe, expect, it } from 'vitest';
import { createCosignatureVerifier, createCosigner, createNoteSigner, createNoteVerifier, createSignature, formatSignatureLine, parseNote } from '../tlog/index.ts';
import { createTestLog } from './fixtures/test-log.ts';
import { mergeCosignatures, verifyCosignedCheckpoint } from './cosigned-checkpoint.ts';

const log = createTestLog('bank.example/flowguard', Buffer.alloc(32, 1));
log.append(10);
const note = log.checkpoint();
const text = parseNote(note).text;
const witnesses = [1, 2, 3].map((i) => createCosigner({ name: `w${i}.example/witness`, seed: Buffer.alloc(32, 10 + i), now: () => 1_700_000_000n + BigInt(i) }));
const verifiers = witnesses.map((w) => createCosignatureVerifier(w.name, w.publicKey));
const line = (i: number, t = text) => formatSignatureLine(createSignature(witnesses[i]!, t));

describe('mergeCosignatures', () => {
  it('appends the lines after the log signature and keeps the text byte for byte', () => {
    const merged = mergeCosignatures(note, [line(0), line(1)]);
    expect(merged.startsWith(note)).toBe(true);
    expect(parseNote(merged).signatures.map((s) => s.name)).toEqual([log.origin, 'w1.example/witness', 'w2.example/witness']);
  });

  it('a newer cosignature from the same witness replaces the older one', () => {
    const later = createCosigner({ name: witnesses[0]!.name, seed: Buffer.alloc(32, 11), now: () => 1_800_000_000n });
    const merged = mergeCosignatures(mergeCosignatures(note, line(0)), formatSignatureLine(createSignature(later, text)));
    const result = verifyCosignedCheckpoint(merged, log.verifier, verifiers, 1);
    expect(result.cosignatures).toEqual([{ name: witnesses[0]!.name, keyId: verifiers[0]!.keyId, timestamp: 1_800_000_000n }]);
  });
});

describe('verifyCosignedCheckpoint: quorum', () => {
  it('counts distinct trusted witnesses', () => {
    const merged = mergeCosignatures(note, [line(0), line(2)]);
    expect(verifyCosignedCheckpoint(merged, log.verifier, verifiers, 2).cosignatures).toHaveLength(2);
    expect(() => verifyCosignedCheckpoint(merged, log.verifier, verifiers, 3)).toThrow(expect.objectContaining({ code: 'quorum_not_met' }));
  });

  it('ignores cosignatures from witnesses it does not trust', () => {
    const merged = mergeCosignatures(note, [line(0), line(1)]);
    expect(() => verifyCosignedCheckpoint(merged, log.verifier, [verifiers[2]!], 1)).toThrow(expect.objectContaining({ code: 'quorum_not_met' }));
  });

  it('quorum 0 needs only the log signature; a quorum above the trusted witnesses is a configuration error', () => {
    expect(verifyCosignedCheckpoint(note, log.verifier, verifiers, 0).checkpoint.size).toBe(10n);
    expect(() => verifyCosignedCheckpoint(note, log.verifier, verifiers, 4)).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
  });
});

describe('verifyCosignedCheckpoint: the log signature', () => {
  it('must be present: witness cosignatures alone do not make a checkpoint', () => {
    const onlyWitnesses = `${text}\n${line(0)}${line(1)}`;
    expect(() => verifyCosignedCheckpoint(onlyWitnesses, log.verifier, verifiers, 1)).toThrow(expect.objectContaining({ code: 'checkpoint_not_verified' }));
  });

  it('from another key of the log name is refused', () => {
    const other = createNoteSigner(log.origin, Buffer.alloc(32, 99));
    const merged = mergeCosignatures(log.checkpoint(10, [other]), line(0));
    expect(() => verifyCosignedCheckpoint(merged, log.verifier, verifiers, 1)).toThrow(expect.objectContaining({ code: 'checkpoint_not_verified' }));
  });

  it('any of several log keys (rotation overlap) is accepted', () => {
    const next = createNoteSigner(log.origin, Buffer.alloc(32, 50));
    const merged = mergeCosignatures(log.checkpoint(10, [next]), line(1));
    expect(verifyCosignedCheckpoint(merged, [log.verifier, createNoteVerifier(log.origin, next.publicKey)], verifiers, 1).cosignatures).toHaveLength(1);
  });

  it('a cosignature over another text from a trusted witness rejects the note', () => {
    const merged = mergeCosignatures(note, [line(0), line(1, 'bank.example/flowguard\n11\nAAAA\n')]);
    expect(() => verifyCosignedCheckpoint(merged, log.verifier, verifiers, 1)).toThrow(expect.objectContaining({ code: 'checkpoint_not_verified' }));
  });

  it('the origin can be pinned', () => {
    expect(() => verifyCosignedCheckpoint(note, log.verifier, verifiers, 0, { origin: 'other.example/log' })).toThrow(expect.objectContaining({ code: 'checkpoint_not_verified' }));
  });
});
