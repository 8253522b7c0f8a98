/**
 * Rotating the log key: while the next key is configured both keys sign every checkpoint (the
 * current tree is signed again at once), so verifiers holding either key follow the log; after the
 * switch only the new key signs, and a verifier that still trusts only the old key notices.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines } from '../../../test/engines.ts';
import { openStore, type Store } from '../../store/database.ts';
import { openCheckpoint, parseNote, parseVerifierKey } from '../tlog/index.ts';
import { createLogReader } from './log-reader.ts';
import { createIntegrator } from './integrator.ts';
import { verifyLog } from './verify-log.ts';
import { appendSamplesAtOnce, testSigner } from './test-support/log-fixture.ts';

describe.each(engines)('key rotation on $name', (engine) => {
  let store: Store;
  afterEach(async () => store?.close());

  it('signs with both keys during the overlap, then with the new key alone', async () => {
    store = await openStore(await engine.freshUrl());
    const oldKey = testSigner();
    const newKey = testSigner();
    const reader = createLogReader(store.db);
    const integrate = (signers: typeof oldKey[]) => createIntegrator({ store, origin: oldKey.name, signers }).drain();
    const latest = async () => (await reader.latestCheckpoint())!.note;
    const verify = (keys: string[]) => verifyLog(store, { verifiers: keys.map(parseVerifierKey), origin: oldKey.name });

    await appendSamplesAtOnce(store, 20);
    await integrate([oldKey]);
    const before = await latest();

    // Overlap: the next key is configured; the unchanged tree is signed again by both keys.
    expect(await integrate([oldKey, newKey])).toMatchObject({ status: 'integrated', size: 20, added: 0 });
    const overlap = await latest();
    expect(parseNote(overlap).signatures.map((s) => s.keyId)).toEqual([oldKey.keyId, newKey.keyId]);
    expect(openCheckpoint(overlap, [parseVerifierKey(oldKey.verifierKey)]).checkpoint).toEqual(openCheckpoint(before, [parseVerifierKey(oldKey.verifierKey)]).checkpoint);
    expect(openCheckpoint(overlap, [parseVerifierKey(newKey.verifierKey)]).checkpoint.size).toBe(20n);
    expect(await integrate([oldKey, newKey])).toMatchObject({ status: 'idle' });
    expect((await verify([oldKey.verifierKey])).ok).toBe(true);
    expect((await verify([newKey.verifierKey])).ok).toBe(true);

    // Switch: only the new key signs new checkpoints.
    await appendSamplesAtOnce(store, 5, 20);
    await integrate([newKey]);
    const after = await latest();
    expect(parseNote(after).signatures.map((s) => s.keyId)).toEqual([newKey.keyId]);
    expect((await verify([newKey.verifierKey])).ok).toBe(true);
    const stale = await verify([oldKey.verifierKey]);
    expect(stale.problems[0]).toMatchObject({ code: 'checkpoint_signature' });
    // The old key still verifies the checkpoint saved during the overlap, as a trusted checkpoint.
    const trusted = await verifyLog(store, { verifiers: [oldKey, newKey].map((k) => parseVerifierKey(k.verifierKey)), origin: oldKey.name, trusted: overlap });
    expect(trusted.ok).toBe(true);
  });
});
