import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProofFile, parseProofFile, verifyProofFile } from './proof-file.ts';
import { signCheckpoint } from './checkpoint.ts';
import { extendCompactRange, emptyCompactRange } from './compact-range.ts';
import { createCosignatureVerifier, createCosigner } from './cosignature.ts';
import { leafHash } from './merkle.ts';
import { proveInclusion } from './proof-plan.ts';
import { createNoteSigner, createNoteVerifier } from './note-verifier.ts';
import { parseNote, signNote } from './note.ts';
import { memoryReader } from './fixtures/memory-tree.ts';

const c2sp = JSON.parse(readFileSync(new URL('./fixtures/c2sp-examples.json', import.meta.url), 'utf8')) as Record<string, string>;
const origin = 'flowguard.example/audit';
const log = createNoteSigner(origin, Buffer.alloc(32, 1));
const witness = createCosigner({ name: 'regulator.example/witness', seed: Buffer.alloc(32, 2), now: () => 1_700_000_000n });
const verifiers = [createNoteVerifier(origin, log.publicKey), createCosignatureVerifier(witness.name, witness.publicKey)];

const entries = Array.from({ length: 1000 }, (_, i) => Buffer.from(`fg-entry/v1 entry ${i}`));
const hashes = entries.map(leafHash);
const { root } = extendCompactRange(emptyCompactRange(), hashes);
const signed = signCheckpoint({ origin, size: 1000n, root }, [log]);
const cosigned = signNote(parseNote(signed).text, [witness], parseNote(signed).signatures);
const file = formatProofFile({ extra: Buffer.from('context'), index: 777, proof: proveInclusion(777, 1000, memoryReader(hashes)), checkpoint: cosigned });

describe('the example proof of c2sp.org/tlog-proof', () => {
  it('parses: extra data, index 73894, five hashes, the checkpoint verbatim', () => {
    const parsed = parseProofFile(c2sp.tlogProofExample!);
    expect(parsed.index).toBe(73894n);
    expect(parsed.extra).toHaveLength(39);
    expect(parsed.proof).toHaveLength(5);
    expect(parsed.checkpoint.startsWith('example.com/fancylog\n109482\n')).toBe(true);
    expect(formatProofFile(parsed)).toBe(c2sp.tlogProofExample);
  });
});

describe('a proof file for an audit entry', () => {
  it('verifies offline with the log and witness keys', () => {
    const result = verifyProofFile(file, entries[777]!, verifiers, { origin });
    expect(result.index).toBe(777n);
    expect(result.extra?.toString()).toBe('context');
    expect(result.note.verified).toHaveLength(2);
  });

  it('round-trips through parse and format', () => {
    expect(formatProofFile(parseProofFile(Buffer.from(file)))).toBe(file);
  });
});

describe('a proof file for the wrong entry or index', () => {
  it('is rejected as an invalid proof', () => {
    expect(() => verifyProofFile(file, entries[776]!, verifiers)).toThrow(expect.objectContaining({ code: 'invalid_proof' }));
    expect(() => verifyProofFile(file.replace('index 777', 'index 776'), entries[777]!, verifiers)).toThrow(expect.objectContaining({ code: 'invalid_proof' }));
  });
});

describe('a proof file whose checkpoint is not trusted', () => {
  it('is rejected before the proof is looked at', () => {
    expect(() => verifyProofFile(file, entries[777]!, [])).toThrow(expect.objectContaining({ code: 'unknown_key' }));
    expect(() => verifyProofFile(file.replace('\n1000\n', '\n1001\n'), entries[777]!, verifiers)).toThrow(expect.objectContaining({ code: 'bad_signature' }));
    expect(() => verifyProofFile(file, entries[777]!, verifiers, { origin: 'other' })).toThrow(expect.objectContaining({ code: 'origin_mismatch' }));
  });
});

describe('malformed proof files', () => {
  it.each([
    ['another header', file.replace('tlog-proof@v1', 'tlog-proof@v2')],
    ['no index', file.replace('index 777\n', '')],
    ['index with a leading zero', file.replace('index 777', 'index 0777')],
    ['index before extra', file.replace(/^(.*)\n(extra .*)\n(index .*)\n/, '$1\n$3\n$2\n')],
    ['an empty extra', file.replace(/extra .*\n/, 'extra \n')],
    ['a short hash', file.replace(/\nindex 777\n[^\n]+\n/, '\nindex 777\nq6urqw==\n')],
    ['no checkpoint', file.slice(0, file.indexOf('\n\n') + 2)],
  ])('%s', (_, text) => {
    expect(() => parseProofFile(text)).toThrow(expect.objectContaining({ code: 'malformed_proof_file' }));
  });
});
