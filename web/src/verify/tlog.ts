/**
 * A small browser verifier for the Flowguard log, with WebCrypto only (SHA-256 and Ed25519):
 * - the checkpoint (C2SP signed note) is checked against the pinned verifier key;
 * - the entry and salt are hashed into the leaf commitment (`fg-entry/v1 ` ‖ base64(SHA-256(salt ‖ entry)));
 * - the inclusion proof is rebuilt from the public hash tiles (C2SP tlog-tiles), never taken from
 *   the server's answer, and checked against the checkpoint's root (RFC 9162 §2.1.3.2).
 * A tampered tile, entry, salt or checkpoint fails one of these steps, which is named.
 */
const enc = new TextEncoder();
/** Bytes backed by a plain ArrayBuffer, as WebCrypto takes them. */
type Bytes = Uint8Array<ArrayBuffer>;
const TILE_HEIGHT = 8;
const TILE_WIDTH = 256;

export class VerifyError extends Error {}

function b64(bytes: Bytes): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
function unb64(text: string): Bytes {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
function concat(...parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
function equal(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}
/** RFC 6962 §2.1: leaf hash = SHA-256(0x00 ‖ data), node hash = SHA-256(0x01 ‖ left ‖ right). */
export const leafHash = (data: Bytes) => sha256(concat(new Uint8Array([0]), data));
export const nodeHash = (l: Bytes, r: Bytes) => sha256(concat(new Uint8Array([1]), l, r));

export interface Checkpoint { origin: string; size: number; root: Bytes; text: string; signatures: Array<{ name: string; keyHash: Bytes; sig: Bytes }> }

/** Parses a signed note whose body is a checkpoint (c2sp.org/tlog-checkpoint, c2sp.org/signed-note). */
export function parseCheckpoint(note: string): Checkpoint {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new VerifyError('checkpoint: no signature block');
  const text = note.slice(0, split + 1);
  const lines = text.split('\n');
  const size = Number(lines[1]);
  if (!lines[0] || !Number.isSafeInteger(size) || !lines[2]) throw new VerifyError('checkpoint: malformed body');
  const signatures = note.slice(split + 2).split('\n').filter((l) => l.startsWith('— ')).map((l) => {
    const [, name = '', sig = ''] = /^— (\S+) (\S+)$/.exec(l) ?? [];
    const raw = unb64(sig);
    return { name, keyHash: raw.slice(0, 4), sig: raw.slice(4) };
  });
  return { origin: lines[0], size, root: unb64(lines[2]), text, signatures };
}

/** A verifier key string `name+hex(key hash)+base64(0x01 ‖ Ed25519 public key)`, taken apart. */
export function parseVerifierKey(vkey: string): { name: string; keyHash: Bytes; key: Bytes } {
  // base64 itself may contain '+', so split at the first two only.
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  if (!m) throw new VerifyError('verifier key: malformed');
  const [, name, hashHex, keyB64] = m as unknown as [string, string, string, string];
  const key = unb64(keyB64);
  if (key[0] !== 1 || key.length !== 33) throw new VerifyError('verifier key: not an Ed25519 key');
  return { name, keyHash: Uint8Array.from(hashHex.match(/../g)!.map((h) => parseInt(h, 16))), key };
}

/** Checks the checkpoint's Ed25519 signature by `vkey` (`name+hash+base64(0x01 ‖ public key)`). */
export async function verifyCheckpointSignature(cp: Checkpoint, vkey: string): Promise<void> {
  const { name, keyHash, key } = parseVerifierKey(vkey);
  const sig = cp.signatures.find((s) => s.name === name && equal(s.keyHash, keyHash));
  if (!sig) throw new VerifyError(`checkpoint: no signature by the pinned key ${name}`);
  const pub = await crypto.subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, ['verify']);
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, pub, sig.sig, enc.encode(cp.text));
  if (!ok) throw new VerifyError('checkpoint: signature does not verify with the pinned key');
}

/** The leaf data of an entry: `fg-entry/v1 ` ‖ base64(SHA-256(salt ‖ entry)). */
export async function entryLeaf(salt: Bytes, entry: Bytes): Promise<Bytes> {
  return enc.encode(`fg-entry/v1 ${b64(await sha256(concat(salt, entry)))}`);
}

function tileIndex(n: number): string {
  let text = String(n % 1000).padStart(3, '0');
  let rest = Math.floor(n / 1000);
  while (rest > 0) {
    text = `x${String(rest % 1000).padStart(3, '0')}/${text}`;
    rest = Math.floor(rest / 1000);
  }
  return text;
}

/** Reads stored hashes from tiles of a tree of `size` leaves, fetching each tile once. */
export class TileHashReader {
  private tiles = new Map<string, Promise<Bytes>>();
  constructor(private readonly size: number, private readonly fetchTile: (path: string) => Promise<Bytes>) {}

  /** Hash of the complete subtree at (level, index): 2^level leaves starting at index·2^level. */
  async subtree(level: number, index: number): Promise<Bytes> {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const within = level % TILE_HEIGHT;
    const first = index * 2 ** within; // first node at the tile's base level
    const count = 2 ** within;
    const n = Math.floor(first / TILE_WIDTH);
    const nodesAtBase = Math.floor(this.size / 2 ** (tileLevel * TILE_HEIGHT));
    const width = Math.min(TILE_WIDTH, nodesAtBase - n * TILE_WIDTH);
    if (width <= 0 || (first % TILE_WIDTH) + count > width) throw new VerifyError(`no tile holds subtree (${level}, ${index})`);
    const path = `tile/${tileLevel}/${tileIndex(n)}${width === TILE_WIDTH ? '' : `.p/${width}`}`;
    let tile = this.tiles.get(path);
    if (!tile) {
      tile = this.fetchTile(path);
      this.tiles.set(path, tile);
    }
    const data = await tile;
    if (data.length !== width * 32) throw new VerifyError(`tile ${path} has ${data.length} bytes, expected ${width * 32}`);
    let hashes: Bytes[] = [];
    const start = first % TILE_WIDTH;
    for (let i = 0; i < count; i++) hashes.push(data.slice((start + i) * 32, (start + i + 1) * 32));
    while (hashes.length > 1) {
      const next: Bytes[] = [];
      for (let i = 0; i < hashes.length; i += 2) next.push(await nodeHash(hashes[i]!, hashes[i + 1]!));
      hashes = next;
    }
    return hashes[0]!;
  }

  /** MTH of leaves [lo, hi): split into the largest aligned complete subtrees. */
  async range(lo: number, hi: number): Promise<Bytes> {
    const n = hi - lo;
    if (n <= 0) throw new VerifyError('empty range');
    const level = Math.log2(n);
    if (Number.isInteger(level) && lo % n === 0) return this.subtree(level, lo / n);
    let k = 1;
    while (k * 2 < n) k *= 2; // RFC 6962: k is the largest power of two smaller than n
    return nodeHash(await this.range(lo, lo + k), await this.range(lo + k, hi));
  }

  /** RFC 6962 §2.1.1 PATH(m, D[lo:hi]): the inclusion proof of leaf m, read from tiles. */
  async inclusionProof(m: number, lo = 0, hi = this.size): Promise<Bytes[]> {
    const n = hi - lo;
    if (n === 1) return [];
    let k = 1;
    while (k * 2 < n) k *= 2;
    if (m - lo < k) return [...(await this.inclusionProof(m, lo, lo + k)), await this.range(lo + k, hi)];
    return [...(await this.inclusionProof(m, lo + k, hi)), await this.range(lo, lo + k)];
  }
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof gives for `leaf` at `index` in a tree of `size`. */
export async function rootFromInclusionProof(index: number, size: number, leaf: Bytes, proof: Bytes[]): Promise<Bytes> {
  if (index >= size) throw new VerifyError('index beyond the tree');
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new VerifyError('proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new VerifyError('proof too short');
  return r;
}

export interface VerifyInput { index: number; entryB64: string; saltB64: string; checkpointNote: string; verifierKey: string; fetchTile: (path: string) => Promise<Bytes> }
export interface VerifyStep { name: string; ok: boolean; detail?: string }

/** Runs every step in order and reports each; throws nothing, the last failed step says why. */
export async function verifyEntry(input: VerifyInput): Promise<{ ok: boolean; steps: VerifyStep[]; size?: number }> {
  const steps: VerifyStep[] = [];
  try {
    const cp = parseCheckpoint(input.checkpointNote);
    await verifyCheckpointSignature(cp, input.verifierKey);
    steps.push({ name: 'checkpoint signature', ok: true, detail: `${cp.origin} size ${cp.size}` });
    const leaf = await entryLeaf(unb64(input.saltB64), unb64(input.entryB64));
    const lh = await leafHash(leaf);
    steps.push({ name: 'leaf commitment', ok: true, detail: b64(lh) });
    const reader = new TileHashReader(cp.size, input.fetchTile);
    const stored = await reader.subtree(0, input.index);
    if (!equal(stored, lh)) throw new VerifyError('the leaf hash in the tile differs from the entry and salt');
    const proof = await reader.inclusionProof(input.index);
    steps.push({ name: 'inclusion proof from tiles', ok: true, detail: `${proof.length} hashes` });
    const root = await rootFromInclusionProof(input.index, cp.size, lh, proof);
    if (!equal(root, cp.root)) throw new VerifyError('the root computed from the tiles differs from the signed checkpoint');
    steps.push({ name: 'root matches signed checkpoint', ok: true, detail: b64(root) });
    return { ok: true, steps, size: cp.size };
  } catch (e) {
    steps.push({ name: 'failed', ok: false, detail: e instanceof Error ? e.message : String(e) });
    return { ok: false, steps };
  }
}
