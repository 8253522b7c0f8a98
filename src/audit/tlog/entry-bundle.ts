/**
 * c2sp.org/tlog-tiles entry bundles: the entries of one level-0 tile, each framed as a big-endian
 * uint16 length followed by the entry bytes. Entry i of the log is entry (i mod 256) of bundle ⌊i/256⌋.
 */
import { TlogError } from './errors.ts';
import { TILE_WIDTH } from './tile-path.ts';

/** The largest entry a uint16 length prefix can frame. */
export const MAX_ENTRY_SIZE = 0xffff;

/** Frames entries into bundle bytes. Throws `entry_too_large` above 65,535 bytes, `invalid_argument` above 256 entries. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  if (entries.length > TILE_WIDTH) {
    throw new TlogError('invalid_argument', `a bundle holds at most ${TILE_WIDTH} entries, got ${entries.length}`);
  }
  const parts: Buffer[] = [];
  for (const [i, entry] of entries.entries()) {
    assertEntrySize(entry, i);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(entry.length);
    parts.push(length, Buffer.from(entry));
  }
  return Buffer.concat(parts);
}

/** Throws `entry_too_large` if an entry cannot be framed in a bundle; call it before logging an entry. */
export function assertEntrySize(entry: Uint8Array, position = 0): void {
  if (entry.length > MAX_ENTRY_SIZE) {
    throw new TlogError('entry_too_large', `entry ${position} is ${entry.length} bytes; bundles frame at most ${MAX_ENTRY_SIZE}`);
  }
}

/**
 * Splits bundle bytes into entries. Throws `malformed_entry_bundle` if a length runs past the end or
 * there are more than 256 entries; pass `expectedCount` (the tile width) to also check the count.
 */
export function decodeEntryBundle(data: Uint8Array, expectedCount?: number): Buffer[] {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const entries: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (entries.length === TILE_WIDTH) {
      throw new TlogError('malformed_entry_bundle', `bundle holds more than ${TILE_WIDTH} entries`);
    }
    if (offset + 2 > bytes.length) {
      throw new TlogError('malformed_entry_bundle', `bundle ends inside the length of entry ${entries.length}`);
    }
    const length = bytes.readUInt16BE(offset);
    if (offset + 2 + length > bytes.length) {
      throw new TlogError('malformed_entry_bundle', `entry ${entries.length} claims ${length} bytes but the bundle ends first`);
    }
    entries.push(Buffer.from(bytes.subarray(offset + 2, offset + 2 + length)));
    offset += 2 + length;
  }
  if (expectedCount !== undefined && entries.length !== expectedCount) {
    throw new TlogError('malformed_entry_bundle', `bundle holds ${entries.length} entries, expected ${expectedCount}`);
  }
  return entries;
}
