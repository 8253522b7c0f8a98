/**
 * c2sp.org/tlog-tiles resource paths: `tile/<L>/<N>[.p/<W>]` for hash tiles and
 * `tile/entries/<N>[.p/<W>]` for entry bundles, with N in 3-digit groups (`x001/x234/067`).
 * Parsing accepts only the canonical spelling, so each resource has exactly one path.
 */
import { TlogError } from './errors.ts';
import { UINT64_MAX } from './text-codec.ts';
import { toTreeIndex, type TreeIndex } from './tree-size.ts';

/** Hashes in a full tile (tlog-tiles: "Full tiles MUST be exactly 256 hashes wide"). */
export const TILE_WIDTH = 256;
/** Tree levels one tile spans: log2(TILE_WIDTH). */
export const TILE_HEIGHT = 8;
/** tlog-tiles: `<L>` is between 0 and 63. */
export const MAX_TILE_LEVEL = 63;

/** A hash tile: level L, index N within the level, width W (1–255 partial, 256 full). */
export interface TileRef {
  readonly level: number;
  readonly n: bigint;
  readonly width: number;
}

/** What a parsed path names: a hash tile, or an entry bundle (width as for level-0 tiles). */
export type TileResource =
  | { readonly kind: 'tile'; readonly tile: TileRef }
  | { readonly kind: 'entries'; readonly n: bigint; readonly width: number };

const PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** Writes N as zero-padded 3-digit groups, all but the last prefixed with `x`: 1234067 → `x001/x234/067`. */
export function formatTileIndex(n: TreeIndex): string {
  let rest = toTreeIndex(n, 'tile index');
  let text = (rest % 1000n).toString().padStart(3, '0');
  while (rest >= 1000n) {
    rest /= 1000n;
    text = `x${(rest % 1000n).toString().padStart(3, '0')}/${text}`;
  }
  return text;
}

function widthSuffix(width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new TlogError('invalid_argument', `tile width must be 1–${TILE_WIDTH}, got ${width}`);
  }
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

/** The path of hash tile (level, n), partial when width < 256. */
export function tilePath(level: number, n: TreeIndex, width = TILE_WIDTH): string {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw new TlogError('invalid_argument', `tile level must be 0–${MAX_TILE_LEVEL}, got ${level}`);
  }
  return `tile/${level}/${formatTileIndex(n)}${widthSuffix(width)}`;
}

/** The path of entry bundle n, partial when width < 256. */
export function entryBundlePath(n: TreeIndex, width = TILE_WIDTH): string {
  return `tile/entries/${formatTileIndex(n)}${widthSuffix(width)}`;
}

/**
 * Parses a path relative to the log prefix (`tile/…`). Throws `malformed_tile_path` for anything not
 * written exactly as {@link tilePath} or {@link entryBundlePath} would write it.
 */
export function parseTilePath(path: string): TileResource {
  const match = PATH.exec(path);
  if (!match) {
    throw new TlogError('malformed_tile_path', `not a tlog-tiles path (tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]): ${JSON.stringify(path)}`);
  }
  const [, levelText, nText, widthText] = match as unknown as [string, string, string, string | undefined];
  const n = BigInt(nText.replace(/[x/]/g, ''));
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (n > UINT64_MAX) {
    throw new TlogError('malformed_tile_path', `tile index ${n} is beyond any tree of 2^64-1 leaves`);
  }
  if (formatTileIndex(n) !== nText) {
    throw new TlogError('malformed_tile_path', `tile index ${JSON.stringify(nText)} has leading zero groups; write ${formatTileIndex(n)}`);
  }
  if (widthText !== undefined && width >= TILE_WIDTH) {
    throw new TlogError('malformed_tile_path', `partial width ${width} is not 1–${TILE_WIDTH - 1}; full tiles carry no .p/ suffix`);
  }
  if (levelText === 'entries') return { kind: 'entries', n, width };
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) {
    throw new TlogError('malformed_tile_path', `tile level ${level} is above ${MAX_TILE_LEVEL}`);
  }
  return { kind: 'tile', tile: { level, n, width } };
}
