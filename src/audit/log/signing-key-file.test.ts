import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateNoteKey, openCheckpoint, parseVerifierKey } from '../tlog/index.ts';
import { signCheckpointNote } from './checkpoint-signer.ts';
import { loadLogSigners, loadSigningKeyFile } from './signing-key-file.ts';
import { loadLogConfig } from './log-config.ts';

const ORIGIN = 'flowguard.example/demo-bank';
const dir = () => mkdtempSync(join(tmpdir(), 'fg-key-'));

describe('the log signing key file', () => {
  it('is generated on first start, marked DEMO ONLY, private, and logged; later starts load the same key', async () => {
    const file = join(dir(), 'data', 'log-signing.key');
    const messages: string[] = [];
    const first = await loadSigningKeyFile(file, ORIGIN, { create: true, log: (m) => messages.push(m) });
    expect(first.created).toBe(true);
    expect(messages).toEqual([expect.stringMatching(/DEMO ONLY log signing key .* flowguard\.example\/demo-bank/)]);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# DEMO ONLY/);
    expect(text).toMatch(/^PRIVATE\+KEY\+flowguard\.example\/demo-bank\+[0-9a-f]{8}\+/m);
    expect(text).toContain(`# verifier key: ${first.verifierKey}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadSigningKeyFile(file, ORIGIN, { create: true, log: (m) => messages.push(m) });
    expect(again.created).toBe(false);
    expect(again.verifierKey).toBe(first.verifierKey);
    expect(messages).toHaveLength(1);
  });

  it('gives two processes starting together one key', async () => {
    const file = join(dir(), 'log-signing.key');
    const [a, b] = await Promise.all([loadSigningKeyFile(file, ORIGIN, { create: true }), loadSigningKeyFile(file, ORIGIN, { create: true })]);
    expect(a.verifierKey).toBe(b.verifierKey);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
  });

  it('signs checkpoints that Go-format verifier keys accept', async () => {
    const key = await loadSigningKeyFile(join(dir(), 'k'), ORIGIN, { create: true });
    const note = await signCheckpointNote({ origin: ORIGIN, size: 3n, root: Buffer.alloc(32, 7) }, [key]);
    expect(openCheckpoint(note, [parseVerifierKey(key.verifierKey)], { origin: ORIGIN }).checkpoint.size).toBe(3n);
  });

  it('refuses a missing file when creation is off, a key named after another log, and a malformed file', async () => {
    const d = dir();
    await expect(loadSigningKeyFile(join(d, 'absent'), ORIGIN)).rejects.toMatchObject({ code: 'log_key_invalid', message: expect.stringMatching(/does not exist/) });
    writeFileSync(join(d, 'other'), `${generateNoteKey('other.example/log').signerKey}\n`);
    await expect(loadSigningKeyFile(join(d, 'other'), ORIGIN)).rejects.toThrow(/named "other.example\/log" but the log origin is/);
    writeFileSync(join(d, 'bad'), '# nothing here\nPRIVATE+KEY+x+00000000+AQ==\n');
    await expect(loadSigningKeyFile(join(d, 'bad'), ORIGIN)).rejects.toThrow(/not a Go note signer key/);
    writeFileSync(join(d, 'two'), `${generateNoteKey(ORIGIN).signerKey}\n${generateNoteKey(ORIGIN).signerKey}\n`);
    await expect(loadSigningKeyFile(join(d, 'two'), ORIGIN)).rejects.toThrow(/exactly one PRIVATE\+KEY/);
  });

  it('loads the current key and the keys being rotated in, from the environment', async () => {
    const d = dir();
    writeFileSync(join(d, 'next.key'), `${generateNoteKey(ORIGIN).signerKey}\n`);
    const config = loadLogConfig({ FLOWGUARD_LOG_KEY_FILE: join(d, 'current.key'), FLOWGUARD_LOG_NEXT_KEY_FILE: join(d, 'next.key') });
    expect(config).toMatchObject({ origin: ORIGIN, nextKeyFiles: [join(d, 'next.key')], intervalMs: 200, createDemoKey: true });
    const signers = await loadLogSigners(config);
    expect(signers).toHaveLength(2);
    expect(signers[0]!.keyId).not.toBe(signers[1]!.keyId);
    await expect(loadLogSigners({ ...config, nextKeyFiles: [config.keyFile] })).rejects.toThrow(/configured twice/);
    expect(() => loadLogConfig({ FLOWGUARD_LOG_INTERVAL_MS: '0' })).toThrow(/positive whole number/);
  });
});
