/**
 * c2sp.org/signed-note: a UTF-8 text ending in a newline, a blank line, then one line per signature,
 * `— <key name> <base64(4-byte key ID ‖ signature)>\n` (U+2014 EM DASH). Opening a note follows
 * signed-note §Signatures and Go's note.Open: signatures from unknown keys are kept aside unverified,
 * a known key's bad signature rejects the note, and at least one known key must have signed.
 */
import { TlogError } from './errors.ts';
import { formatKeyId, isValidKeyName, type NoteSigner, type NoteVerifier } from './note-verifier.ts';
import { decodeBase64, decodeUtf8, quote } from './text-codec.ts';

/** Signatures parsed per note at most, as Go's note.Open (the spec asks for at least 16). */
export const MAX_NOTE_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 ';
/** signed-note §Format: no ASCII control characters other than newline; no unpaired surrogates. */
const FORBIDDEN_IN_NOTE = /[\x00-\x09\x0b-\x1f]|\p{Cs}/u;

/** One signature line: who signed (name, key ID) and the signature bytes after the key ID. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Buffer;
}

/** A parsed, not yet verified, note. */
export interface Note {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A note whose signatures from known keys all verified. */
export interface OpenedNote {
  readonly text: string;
  readonly verified: readonly NoteSignature[];
  /** Signatures from keys the caller does not know, kept so they can be passed on (e.g. cosignatures). */
  readonly unverified: readonly NoteSignature[];
}

function malformed(message: string): never {
  throw new TlogError('malformed_note', message);
}

/** Throws `malformed_note` unless `text` can be a note's text: ends with a newline, no control characters. */
export function assertNoteText(text: string): void {
  if (!text.endsWith('\n')) malformed('a note text must end with a newline');
  if (FORBIDDEN_IN_NOTE.test(text)) malformed('a note text must be valid UTF-8 without control characters other than newline');
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) malformed(`signature line must start with "— ": ${quote(line)}`);
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  if (!isValidKeyName(name)) malformed(`signature line has an invalid key name: ${quote(line)}`);
  const bytes = decodeBase64(space < 0 ? '' : rest.slice(space + 1), 'malformed_note', `signature of ${name}`);
  if (bytes.length < 5) malformed(`signature of ${name} is shorter than a key ID and one byte`);
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
}

/** Parses signature lines (each ending in a newline), e.g. a witness's add-checkpoint response body. */
export function parseSignatureLines(block: string): NoteSignature[] {
  if (block === '' || !block.endsWith('\n')) malformed('signature lines must be present and end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  return lines.map(parseSignatureLine);
}

/** Splits a signed note into text and signatures without verifying anything. */
export function parseNote(message: Uint8Array | string): Note {
  const decoded = typeof message === 'string' ? message : decodeUtf8(message, 'malformed_note', 'the note');
  if (FORBIDDEN_IN_NOTE.test(decoded)) malformed('a note must be valid UTF-8 without control characters other than newline');
  const split = decoded.lastIndexOf('\n\n');
  if (split < 0) malformed('a note needs a blank line between its text and its signatures');
  return { text: decoded.slice(0, split + 1), signatures: parseSignatureLines(decoded.slice(split + 2)) };
}

/** One signature line, newline included. */
export function formatSignatureLine(signature: NoteSignature): string {
  const bytes = Buffer.alloc(4 + signature.signature.length);
  bytes.writeUInt32BE(signature.keyId);
  Buffer.from(signature.signature).copy(bytes, 4);
  return `${SIGNATURE_PREFIX}${signature.name} ${bytes.toString('base64')}\n`;
}

/** Writes a note: text, blank line, signature lines. */
export function formatNote(note: Note): string {
  assertNoteText(note.text);
  return `${note.text}\n${note.signatures.map(formatSignatureLine).join('')}`;
}

/** Signs `text` with one signer, giving the signature to put on a line. */
export function createSignature(signer: NoteSigner, text: string): NoteSignature {
  assertNoteText(text);
  if (!isValidKeyName(signer.name)) throw new TlogError('malformed_key', `signer name ${quote(signer.name)} is not a valid key name`);
  return { name: signer.name, keyId: signer.keyId, signature: signer.sign(Buffer.from(text, 'utf8')) };
}

/**
 * Signs `text` and writes the note. Like Go's note.Sign, `existing` signatures come first, except
 * those replaced by a signer with the same name and key ID; new signatures follow in signer order.
 */
export function signNote(text: string, signers: readonly NoteSigner[], existing: readonly NoteSignature[] = []): string {
  const fresh = signers.map((signer) => createSignature(signer, text));
  const replaced = new Set(fresh.map((s) => keyOf(s)));
  return formatNote({ text, signatures: [...existing.filter((s) => !replaced.has(keyOf(s))), ...fresh] });
}

function keyOf(key: { name: string; keyId: number }): string {
  return `${key.name}+${formatKeyId(key.keyId)}`;
}

/**
 * Parses and verifies a note against trusted keys. Throws `bad_signature` if a trusted key's signature
 * fails, `unknown_key` if no trusted key signed, `ambiguous_key` if two trusted keys share name and ID.
 */
export function openNote(message: Uint8Array | string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const note = parseNote(message);
  const textBytes = Buffer.from(note.text, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const signature of note.signatures) {
    const id = keyOf(signature);
    const matches = verifiers.filter((v) => keyOf(v) === id);
    if (matches.length > 1) throw new TlogError('ambiguous_key', `two trusted keys are named ${id}; remove one from the configuration`);
    const verifier = matches[0];
    const line = formatSignatureLine(signature);
    if (seen.has(verifier ? id : line)) continue; // Go drops repeated signatures by one key
    seen.add(verifier ? id : line);
    if (!verifier) {
      unverified.push(signature);
    } else if (verifier.verify(textBytes, signature.signature)) {
      verified.push(signature);
    } else {
      throw new TlogError('bad_signature', `the signature of trusted key ${id} does not verify: the note was altered or signed by another key`);
    }
  }
  if (verified.length === 0) {
    const names = note.signatures.map(keyOf).join(', ');
    throw new TlogError('unknown_key', `no signature from a trusted key; the note is signed by ${names}`);
  }
  return { text: note.text, verified, unverified };
}
