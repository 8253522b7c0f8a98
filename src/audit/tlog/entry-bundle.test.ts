import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertEntrySize, decodeEntryBundle, encodeEntryBundle, MAX_ENTRY_SIZE } from './entry-bundle.ts';

describe('entry bundle framing (tlog-tiles §Log entries)', () => {
  it('writes a big-endian uint16 length before each entry', () => {
    expect(encodeEntryBundle([Buffer.from('ab'), Buffer.alloc(0), Buffer.from([0xff])]).toString('hex')).toBe('00026162' + '0000' + '0001ff');
  });

  it('round-trips up to 256 entries of any size up to 65,535 bytes', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 256 }), (entries) => {
      const decoded = decodeEntryBundle(encodeEntryBundle(entries), entries.length);
      expect(decoded.map((e) => e.toString('hex'))).toEqual(entries.map((e) => Buffer.from(e).toString('hex')));
    }));
    const largest = Buffer.alloc(MAX_ENTRY_SIZE, 7);
    expect(decodeEntryBundle(encodeEntryBundle([largest]))[0]!.equals(largest)).toBe(true);
  });
});

describe('entries too large to frame', () => {
  it('are refused with entry_too_large', () => {
    expect(() => encodeEntryBundle([Buffer.alloc(MAX_ENTRY_SIZE + 1)])).toThrow(expect.objectContaining({ code: 'entry_too_large' }));
    expect(() => assertEntrySize(Buffer.alloc(70_000))).toThrow(expect.objectContaining({ code: 'entry_too_large' }));
  });
});

describe('malformed bundles', () => {
  const malformed = expect.objectContaining({ code: 'malformed_entry_bundle' });
  it('a length cut in half', () => expect(() => decodeEntryBundle(Buffer.from('0002616200', 'hex'))).toThrow(malformed));
  it('an entry running past the end', () => expect(() => decodeEntryBundle(Buffer.from('0003ffff', 'hex'))).toThrow(malformed));
  it('more than 256 entries', () => expect(() => decodeEntryBundle(Buffer.alloc(2 * 257))).toThrow(malformed));
  it('a count other than the tile width', () => expect(() => decodeEntryBundle(encodeEntryBundle([Buffer.from('a')]), 2)).toThrow(malformed));
});
