/**
 * Recomputes a tree leaf by leaf, as `audit verify` needs it: the root at any size, and every tile
 * (c2sp.org/tlog-tiles) the tree is made of, full tiles as they complete and the partial ones at the
 * end. Hashes are kept as 32-character latin1 strings: node:crypto's one-shot hash returns a string
 * several times faster than a Buffer, and hashing dominates verifying a large log.
 * Equivalent to merkle.ts (RFC 6962 §2.1), which the tests check it against.
 */
import { hash } from 'node:crypto';
import { TILE_HEIGHT, TILE_WIDTH } from '../tlog/index.ts';
import { FlowguardError } from '../../errors.ts';

const EMPTY_ROOT = hash('sha256', Buffer.alloc(0), 'binary');
/** RFC 6962 §2.1: 0x00 ‖ leaf data, 0x01 ‖ left ‖ right. */
const nodeInput = Buffer.alloc(65, 0x01);
const leafInput = Buffer.alloc(1 + 0xffff, 0x00);

/** SHA-256(0x00 ‖ data) as latin1. */
export function leafHashLatin1(data: Uint8Array): string {
  leafInput.set(data, 1);
  return hash('sha256', leafInput.subarray(0, 1 + data.length), 'binary');
}

/** SHA-256(0x01 ‖ left ‖ right) over latin1 hashes. */
export function nodeHashLatin1(left: string, right: string): string {
  nodeInput.write(left, 1, 'latin1');
  nodeInput.write(right, 33, 'latin1');
  return hash('sha256', nodeInput, 'binary');
}

/** Called when a full tile has been recomputed: its level, index and 256 hashes (latin1, 8,192 chars). */
export type TileSink = (level: number, n: number, data: string) => void;

export class TreeRecomputer {
  #size = 0;
  readonly #stack: string[] = [];
  /** Per tile level, the hashes of the tile being filled. */
  readonly #tiles: string[][] = [];
  /** Per tile level, how many full tiles were completed. */
  readonly #full: number[] = [];

  constructor(private readonly onFullTile: TileSink) {}

  get size(): number {
    return this.#size;
  }

  /** Appends the next leaf hash (latin1). */
  push(leafHash: string): void {
    this.#pushAt(0, leafHash);
  }

  /**
   * Appends 256 leaves at once, given the root of their full level-0 tile (the size must be a
   * multiple of 256). The level-0 tile itself is not reported: whoever computed the root checked it.
   */
  pushTileRoot(root: string): void {
    if (this.#size % TILE_WIDTH !== 0) throw new FlowguardError('internal', `a tile root can only be appended at a multiple of ${TILE_WIDTH} leaves, not at ${this.#size}`);
    this.#full[0] = (this.#full[0] ?? 0) + 1;
    this.#pushAt(TILE_HEIGHT, root);
  }

  /** Appends the root of a complete subtree of 2^level leaves; the size is a multiple of 2^level. */
  #pushAt(level: number, subtreeRoot: string): void {
    if (level % TILE_HEIGHT === 0) this.#addToTile(level / TILE_HEIGHT, subtreeRoot);
    let hash = subtreeRoot;
    let height = level;
    for (let rest = this.#size / 2 ** level; rest % 2 === 1; rest = (rest - 1) / 2) {
      hash = nodeHashLatin1(this.#stack.pop()!, hash);
      height++;
      if (height % TILE_HEIGHT === 0) this.#addToTile(height / TILE_HEIGHT, hash);
    }
    this.#stack.push(hash);
    this.#size += 2 ** level;
  }

  /** MTH of the leaves so far (latin1). */
  root(): string {
    if (this.#stack.length === 0) return EMPTY_ROOT;
    let root = this.#stack[this.#stack.length - 1]!;
    for (let i = this.#stack.length - 2; i >= 0; i--) root = nodeHashLatin1(this.#stack[i]!, root);
    return root;
  }

  /** The partial tiles of the current size: level → { n, data }, for levels that have one. */
  partialTiles(): Array<{ level: number; n: number; width: number; data: string }> {
    const partial: Array<{ level: number; n: number; width: number; data: string }> = [];
    for (let level = 0, count = this.#size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
      const hashes = this.#tiles[level] ?? [];
      if (hashes.length > 0) partial.push({ level, n: Math.floor(count / TILE_WIDTH), width: hashes.length, data: hashes.join('') });
    }
    return partial;
  }

  #addToTile(level: number, hash: string): void {
    const hashes = (this.#tiles[level] ??= []);
    hashes.push(hash);
    if (hashes.length === TILE_WIDTH) {
      const n = this.#full[level] ?? 0;
      this.#full[level] = n + 1;
      this.onFullTile(level, n, hashes.join(''));
      hashes.length = 0;
    }
  }
}
