import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cosignedMessage, cosignerKeyId, createCosignatureVerifier, createCosigner, parseCosignature } from './cosignature.ts';
import { openCheckpoint, signCheckpoint } from './checkpoint.ts';
import { openNote, parseNote, parseSignatureLines, signNote } from './note.ts';
import { createNoteSigner, createNoteVerifier } from './note-verifier.ts';

const c2sp = JSON.parse(readFileSync(new URL('./fixtures/c2sp-examples.json', import.meta.url), 'utf8')) as Record<string, string>;
const witnessSeed = Buffer.alloc(32, 4);
const cosigner = createCosigner({ name: 'regulator.example/witness', seed: witnessSeed, now: () => 1_700_000_000n });
const cosignatureVerifier = createCosignatureVerifier('regulator.example/witness', cosigner.publicKey);
const log = createNoteSigner('flowguard.example/audit', Buffer.alloc(32, 1));
const logVerifier = createNoteVerifier('flowguard.example/audit', log.publicKey);

describe('the examples of c2sp.org/tlog-cosignature', () => {
  it('the signed message is the header, the time line and the checkpoint body', () => {
    expect(cosignedMessage(BigInt(c2sp.cosignedMessageTimestamp!), c2sp.checkpointText!).toString()).toBe(c2sp.cosignedMessage);
  });

  it("the example cosignature is 8-byte big-endian timestamp ‖ 64-byte signature, stamped with the message's time", () => {
    const note = parseNote(c2sp.cosignedCheckpoint!);
    expect(note.text).toBe(c2sp.checkpointText);
    const witness = note.signatures[1]!;
    expect(witness.name).toBe('witness.example.com/w1');
    const { timestamp, signature } = parseCosignature(witness.signature);
    expect(timestamp).toBe(BigInt(c2sp.cosignedMessageTimestamp!));
    expect(signature).toHaveLength(64);
  });

  it('the example is ignored as unknown by a verifier holding another key (no public key is published)', () => {
    expect(() => openNote(c2sp.cosignedCheckpoint!, [cosignatureVerifier])).toThrow(expect.objectContaining({ code: 'unknown_key' }));
  });

  it('the witness response example lines have the cosignature length; their timestamps are placeholders', () => {
    const lines = parseSignatureLines(c2sp.witnessResponseBody!);
    expect(lines.map((l) => l.signature.length)).toEqual([72, 72, 72]);
    // Two of the three decode to timestamps above 2^63-1, which tlog-cosignature forbids.
    expect(lines.filter((l) => { try { parseCosignature(l.signature); return false; } catch { return true; } })).toHaveLength(2);
  });
});

describe('cosigning and verifying (round trip)', () => {
  const cp = { origin: 'flowguard.example/audit', size: 42n, root: Buffer.alloc(32, 7) };
  const signed = signCheckpoint(cp, [log]);
  const text = parseNote(signed).text;

  it('uses key type 0x04 in the key ID, so the same key as a note key has another ID', () => {
    expect(cosigner.keyId).toBe(cosignerKeyId('regulator.example/witness', cosigner.publicKey));
    expect(cosigner.keyId).not.toBe(createNoteVerifier('regulator.example/witness', cosigner.publicKey).keyId);
  });

  it('a cosigned checkpoint opens with the log and the witness key; both count', () => {
    const cosigned = signNote(text, [cosigner], parseNote(signed).signatures);
    const opened = openCheckpoint(cosigned, [logVerifier, cosignatureVerifier]);
    expect(opened.note.verified.map((s) => s.name)).toEqual(['flowguard.example/audit', 'regulator.example/witness']);
    expect(parseCosignature(opened.note.verified[1]!.signature).timestamp).toBe(1_700_000_000n);
  });

  it('a cosignature whose timestamp was changed is bad', () => {
    const [line] = parseSignatureLines(signNote(text, [cosigner]).slice(text.length + 1));
    const changed = Buffer.from(line!.signature);
    changed[7]! ^= 1;
    const forged = signNote(text, [], [...parseNote(signed).signatures, { ...line!, signature: changed }]);
    expect(() => openNote(forged, [logVerifier, cosignatureVerifier])).toThrow(expect.objectContaining({ code: 'bad_signature' }));
  });

  it('a plain Ed25519 signature does not pass as a cosignature', () => {
    const plain = createNoteSigner('regulator.example/witness', witnessSeed);
    const impostor = { ...plain, keyId: cosigner.keyId };
    expect(() => openNote(signNote(text, [impostor]), [cosignatureVerifier])).toThrow(expect.objectContaining({ code: 'bad_signature' }));
  });

  it('timestamps above 2^63-1 are malformed', () => {
    expect(() => cosignedMessage(1n << 63n, text)).toThrow(expect.objectContaining({ code: 'malformed_cosignature' }));
    expect(() => parseCosignature(Buffer.alloc(71))).toThrow(expect.objectContaining({ code: 'malformed_cosignature' }));
  });
});
