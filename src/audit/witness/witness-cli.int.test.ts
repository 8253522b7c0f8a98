import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseVerifierKey } from '../tlog/index.ts';
import { createTestLog } from './fixtures/test-log.ts';
import { startWitnessProcess, type WitnessProcess } from './fixtures/witness-process.ts';
import { mergeCosignatures, verifyCosignedCheckpoint } from './cosigned-checkpoint.ts';
import { submitToWitness } from './witness-client.ts';

const CLI = fileURLToPath(new URL('../../../bin/flowguard.mjs', import.meta.url));
let running: WitnessProcess[] = [];
afterEach(async () => {
  await Promise.all(running.map((w) => w.stop()));
  running = [];
});

async function start(args: string[]): Promise<WitnessProcess> {
  const w = await startWitnessProcess(args);
  running.push(w);
  return w;
}

describe('flowguard witness serve', () => {
  it('generates its key, prints the 0x04 verifier key, cosigns, and after a restart keeps key and state', async () => {
    const state = mkdtempSync(join(tmpdir(), 'fg-witness-cli-'));
    const log = createTestLog();
    log.append(4);
    const first = await start(['--state', state, '--name', 'regulator.example/w', '--log', log.verifierKey]);
    expect(first.output()).toMatch(/new key generated/);
    const witness = parseVerifierKey(first.verifierKey);
    expect(witness.name).toBe('regulator.example/w');
    const lines = await submitToWitness(first.url, log.checkpoint(), 0, [], { witness });
    expect(verifyCosignedCheckpoint(mergeCosignatures(log.checkpoint(), lines), log.verifier, [witness], 1).checkpoint.size).toBe(4n);
    expect(await first.stop()).toBe(0);

    writeFileSync(join(state, 'config.json'), JSON.stringify({ logs: [{ origin: log.origin, keys: [log.verifierKey] }] }));
    const second = await start(['--state', state]);
    expect(second.verifierKey).toBe(first.verifierKey);
    log.append(3);
    await expect(submitToWitness(second.url, log.checkpoint(), 0, [])).rejects.toMatchObject({ code: 'witness_conflict', details: { witnessSize: 4n } });
    await submitToWitness(second.url, log.checkpoint(), 0, [], { witness, proveFrom: (size) => log.consistency(size) });
  }, 60_000);

  it('without a trusted log or with a bad --log it prints one line and exits 2', () => {
    const state = mkdtempSync(join(tmpdir(), 'fg-witness-cli-'));
    for (const args of [[], ['--log', 'bank.example/flowguard=nonsense']]) {
      const r = spawnSync(process.execPath, [CLI, 'witness', 'serve', '--state', state, '--port', '0', ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^flowguard: /);
    }
  }, 30_000);
});
