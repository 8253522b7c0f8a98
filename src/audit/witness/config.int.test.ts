import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNoteSigner, formatVerifierKey, parseSignerKey, parseVerifierKey, SIGNATURE_TYPE_COSIGNATURE_V1 } from '../tlog/index.ts';
import { loadOrCreateWitnessKey, WITNESS_KEY_FILE } from './witness-key.ts';
import { parseLogFlag, readWitnessConfig, trustedLogsFrom, WITNESS_CONFIG_FILE } from './trusted-logs.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'fg-witness-config-'));
const logKey = formatVerifierKey('bank.example/flowguard', createNoteSigner('bank.example/flowguard', Buffer.alloc(32, 3)).publicKey);

describe('the witness key', () => {
  it('is generated on first start in Go signer-key format (mode 0600) and read back on the next', async () => {
    const dir = fresh();
    const first = await loadOrCreateWitnessKey(dir, { name: 'regulator.example/w1' });
    expect(first.created).toBe(true);
    const file = readFileSync(join(dir, WITNESS_KEY_FILE), 'utf8');
    expect(file).toMatch(/^PRIVATE\+KEY\+regulator\.example\/w1\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$/);
    expect(parseSignerKey(file.trim()).name).toBe('regulator.example/w1');
    expect(statSync(join(dir, WITNESS_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateWitnessKey(dir);
    expect(again).toMatchObject({ created: false, name: 'regulator.example/w1', verifierKey: first.verifierKey });
  });

  it('publishes a cosignature/v1 (type 0x04) verifier key', async () => {
    const key = await loadOrCreateWitnessKey(fresh(), { name: 'regulator.example/w1' });
    expect(Buffer.from(key.verifierKey.split('+')[2]!, 'base64')[0]).toBe(SIGNATURE_TYPE_COSIGNATURE_V1);
    expect(parseVerifierKey(key.verifierKey).keyId).toBe(key.cosigner.keyId);
  });

  it('refuses a different name, a missing name on first start and a damaged key file', async () => {
    const dir = fresh();
    await expect(loadOrCreateWitnessKey(dir)).rejects.toMatchObject({ code: 'invalid_configuration' });
    await loadOrCreateWitnessKey(dir, { name: 'regulator.example/w1' });
    await expect(loadOrCreateWitnessKey(dir, { name: 'regulator.example/w2' })).rejects.toMatchObject({ code: 'invalid_configuration' });
    writeFileSync(join(dir, WITNESS_KEY_FILE), readFileSync(join(dir, WITNESS_KEY_FILE), 'utf8').replace(/\+[0-9a-f]{8}\+/, '+00000000+'));
    await expect(loadOrCreateWitnessKey(dir)).rejects.toMatchObject({ code: 'invalid_configuration' });
  });
});

describe('trusted logs', () => {
  it('--log takes <origin>=<vkey> or a bare vkey named after the origin', () => {
    expect(parseLogFlag(`bank.example/flowguard=${logKey}`)).toEqual({ origin: 'bank.example/flowguard', keys: [logKey] });
    expect(parseLogFlag(logKey)).toEqual({ origin: 'bank.example/flowguard', keys: [logKey] });
    expect(() => parseLogFlag('bank.example/flowguard')).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
  });

  it('config.json lists origins and keys; flags add to it', async () => {
    const dir = fresh();
    expect(await readWitnessConfig(dir)).toEqual([]);
    writeFileSync(join(dir, WITNESS_CONFIG_FILE), JSON.stringify({ logs: [{ origin: 'bank.example/flowguard', keys: [logKey] }] }));
    const logs = trustedLogsFrom([...(await readWitnessConfig(dir)), parseLogFlag(`bank.example/flowguard=${logKey}`)]);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.verifiers).toHaveLength(1);
  });

  it('refuses malformed config, bad keys and a witness (0x04) key posing as a log key', async () => {
    const dir = fresh();
    writeFileSync(join(dir, WITNESS_CONFIG_FILE), '{"logs": [{"origin": 1}]}');
    await expect(readWitnessConfig(dir)).rejects.toMatchObject({ code: 'invalid_configuration' });
    writeFileSync(join(dir, WITNESS_CONFIG_FILE), '{"logs": ');
    await expect(readWitnessConfig(dir)).rejects.toMatchObject({ code: 'invalid_configuration' });
    expect(() => trustedLogsFrom([{ origin: 'x', keys: ['x+00000000+AQ=='] }])).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
    const witnessKey = (await loadOrCreateWitnessKey(fresh(), { name: 'w.example/w' })).verifierKey;
    expect(() => trustedLogsFrom([{ origin: 'w.example/w', keys: [witnessKey] }])).toThrow(/type 0x01/);
  });
});
