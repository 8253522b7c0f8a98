/**
 * The witness and the log end to end: the real `flowguard witness serve` process, the real app with
 * its integrator publishing through createWitnessPublisher. /log/checkpoint serves only checkpoints
 * the witness cosigned; while the witness is down the previous cosigned checkpoint stays published,
 * and once it is back the log catches up.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckpoint, parseVerifierKey } from '../../src/audit/tlog/index.ts';
import { signCheckpointNote } from '../../src/audit/log/checkpoint-signer.ts';
import { createWitnessPublisher, submitToWitness, verifyCosignedCheckpoint } from '../../src/audit/witness/index.ts';
import { startWitnessProcess, type WitnessProcess } from '../../src/audit/witness/fixtures/witness-process.ts';
import { testSigner } from '../../src/audit/log/test-support/log-fixture.ts';
import { LOG_ORIGIN, startLogApp, type LogApp } from './log-app.ts';

const WITNESS = 'regulator.example/witness';

describe('a log published through the regulator\'s witness', () => {
  const state = mkdtempSync(join(tmpdir(), 'fg-witness-e2e-'));
  const signer = testSigner(LOG_ORIGIN);
  const logKey = parseVerifierKey(signer.verifierKey);
  let witness: WitnessProcess;
  let log: LogApp;
  let port: string;

  beforeAll(async () => {
    witness = await startWitnessProcess(['--state', state, '--name', WITNESS, '--log', signer.verifierKey]);
    port = new URL(witness.url).port;
    const publisher = createWitnessPublisher({ witnesses: [{ url: witness.url, verifierKey: witness.verifierKey }], timeoutMs: 5000 });
    log = await startLogApp({ signer, publisher });
  }, 60_000);
  afterAll(async () => {
    await log?.close();
    await witness?.stop();
  });

  const published = async () => {
    const r = await fetch(`${log.logUrl}/checkpoint`);
    expect(r.status).toBe(200);
    return verifyCosignedCheckpoint(await r.text(), logKey, [parseVerifierKey(witness.verifierKey)], 1, { origin: LOG_ORIGIN });
  };

  it('the checkpoint at /log/checkpoint carries the witness cosignature, at each new size', async () => {
    await log.append(10);
    const first = await log.integrate();
    const one = await published();
    expect(one.checkpoint.size).toBe(BigInt(first));
    expect(one.cosignatures.map((c) => c.name)).toEqual([WITNESS]);

    await log.append(300);
    const second = await log.integrate();
    expect(second).toBeGreaterThan(first + 299);
    const two = await published();
    expect(two.checkpoint.size).toBe(BigInt(second));
    expect(two.cosignatures[0]!.timestamp).toBeGreaterThanOrEqual(one.cosignatures[0]!.timestamp);
  }, 60_000);

  it('while the witness is down the previous cosigned checkpoint stays published; after its restart the log catches up', async () => {
    const before = await published();
    expect(await witness.stop()).toBe(0);
    await log.append(5);
    const size = await log.integrate();
    expect(size).toBe(Number(before.checkpoint.size) + 5);
    expect((await published()).checkpoint.size).toBe(before.checkpoint.size);

    witness = await startWitnessProcess(['--state', state, '--log', signer.verifierKey, '--port', port]);
    // The integrator waits 2 s after a failed publication before trying again.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await log.integrate();
    const after = await published();
    expect(after.checkpoint.size).toBe(BigInt(size));
  }, 60_000);

  it('a split view signed with the bank\'s own key is refused by the witness', async () => {
    const current = (await published()).checkpoint;
    const forged = await signCheckpointNote({ ...current, root: Buffer.alloc(32, 0xee) }, [signer]);
    expect(forged.startsWith(formatCheckpoint({ ...current, root: Buffer.alloc(32, 0xee) }))).toBe(true);
    await expect(submitToWitness(witness.url, forged, current.size, [])).rejects.toMatchObject({ code: 'witness_conflict', details: { witnessSize: current.size } });
    expect((await published()).checkpoint.root).toEqual(current.root);
  }, 30_000);
});
