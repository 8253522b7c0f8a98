/**
 * `flowguard serve`'s log: keys from the configured file, witnesses from FLOWGUARD_LOG_WITNESSES. With
 * a witness configured, /log/checkpoint serves checkpoints it cosigned (here a witness in-process).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engines } from '../../../test/engines.ts';
import { openStore, type Store } from '../../store/database.ts';
import { openNote, parseVerifierKey } from '../tlog/index.ts';
import { buildWitnessServer, createWitness, loadOrCreateWitnessKey, openFileStateStore } from '../witness/index.ts';
import { loadLogConfig } from './log-config.ts';
import { startLogIntegrator, witnessPublisher } from './log-service.ts';
import { createLogReader } from './log-reader.ts';
import { loadSigningKeyFile } from './signing-key-file.ts';
import { appendSamplesAtOnce } from './test-support/log-fixture.ts';

describe.each(engines)('the log in the server on $name', (engine) => {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('publishes checkpoints cosigned by the configured witness', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-log-service-'));
    const origin = 'bank.example/flowguard';
    const logKey = await loadSigningKeyFile(join(dir, 'log.key'), origin, { create: true });
    mkdirSync(join(dir, 'witness'));
    const witnessKey = await loadOrCreateWitnessKey(join(dir, 'witness'), { name: 'regulator.example/witness' });
    const witness = await buildWitnessServer(createWitness({
      cosigner: witnessKey.cosigner,
      logs: [{ origin, verifiers: [parseVerifierKey(logKey.verifierKey)] }],
      state: await openFileStateStore(join(dir, 'witness')),
    }), { logger: false });
    const address = await witness.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => witness.close());

    const store: Store = await openStore(await engine.freshUrl());
    closers.push(() => store.close());
    const config = loadLogConfig({
      FLOWGUARD_LOG_ORIGIN: origin,
      FLOWGUARD_LOG_KEY_FILE: join(dir, 'log.key'),
      FLOWGUARD_LOG_WITNESSES: `${address} ${witnessKey.verifierKey}`,
      FLOWGUARD_LOG_INTERVAL_MS: '20',
    });
    const integrator = await startLogIntegrator(store, config);
    closers.push(() => integrator.stop());
    await appendSamplesAtOnce(store, 12);
    const reader = createLogReader(store.db);
    let published = await reader.latestCheckpoint();
    for (let i = 0; i < 100 && published?.checkpoint.size !== 12n; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      published = await reader.latestCheckpoint();
    }
    expect(published?.checkpoint.size).toBe(12n);
    const opened = openNote(published!.note, [parseVerifierKey(logKey.verifierKey), parseVerifierKey(witnessKey.verifierKey)]);
    expect(opened.verified.map((s) => s.name)).toEqual([origin, 'regulator.example/witness']);
  }, 30_000);

  it('refuses a witness list it cannot use', () => {
    expect(witnessPublisher({ witnesses: '', witnessQuorum: undefined })).toBeUndefined();
    expect(() => witnessPublisher({ witnesses: 'not-a-url key', witnessQuorum: undefined })).toThrow(/FLOWGUARD_LOG_WITNESSES/);
  });
});
