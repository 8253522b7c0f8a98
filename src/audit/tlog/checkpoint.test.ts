import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.ts';
import { createNoteSigner, createNoteVerifier } from './note-verifier.ts';

const c2sp = JSON.parse(readFileSync(new URL('./fixtures/c2sp-examples.json', import.meta.url), 'utf8')) as Record<string, string>;
const seed = Buffer.alloc(32, 1);
const signer = createNoteSigner('flowguard.example/audit', seed);
const verifier = createNoteVerifier('flowguard.example/audit', signer.publicKey);
const root = Buffer.alloc(32, 0xab);

describe('checkpoint body (tlog-checkpoint §Note text)', () => {
  it('parses the example of the spec', () => {
    const cp = parseCheckpoint(c2sp.checkpointText!);
    expect(cp.origin).toBe('example.com/behind-the-sofa');
    expect(cp.size).toBe(20852163n);
    expect(formatCheckpoint(cp)).toBe(c2sp.checkpointText);
  });

  it('round-trips any size up to 2^64-1', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (size, bytes) => {
      const cp = { origin: 'flowguard.example/audit', size, root: Buffer.from(bytes) };
      expect(parseCheckpoint(formatCheckpoint(cp))).toEqual(cp);
    }));
  });
});

describe('malformed checkpoint bodies', () => {
  const base = 'log\n5\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n';
  it.each([
    ['an extension line', `${base}ext\n`],
    ['a missing newline', base.slice(0, -1)],
    ['a leading zero', base.replace('\n5\n', '\n05\n')],
    ['a sign', base.replace('\n5\n', '\n+5\n')],
    ['a size past 2^64-1', base.replace('\n5\n', '\n18446744073709551616\n')],
    ['a short root', 'log\n5\nq6urqw==\n'],
    ['URL-safe base64', base.replace('q6urq6ur', 'q6urq6u_')],
    ['an empty origin', base.replace('log', '')],
    ['two lines', 'log\n5\n'],
  ])('%s', (_, text) => {
    expect(() => parseCheckpoint(text)).toThrow(expect.objectContaining({ code: 'malformed_checkpoint' }));
  });
});

describe('signed checkpoints', () => {
  const cp = { origin: 'flowguard.example/audit', size: 70_000n, root };
  it('open with the log key and name the log', () => {
    const opened = openCheckpoint(signCheckpoint(cp, [signer]), [verifier], { origin: cp.origin });
    expect(opened.checkpoint).toEqual(cp);
  });

  it('for another origin are refused', () => {
    expect(() => openCheckpoint(signCheckpoint(cp, [signer]), [verifier], { origin: 'other.example/log' }))
      .toThrow(expect.objectContaining({ code: 'origin_mismatch' }));
  });

  it('with a changed size are refused', () => {
    const forged = signCheckpoint(cp, [signer]).replace('\n70000\n', '\n70001\n');
    expect(() => openCheckpoint(forged, [verifier])).toThrow(expect.objectContaining({ code: 'bad_signature' }));
  });
});
