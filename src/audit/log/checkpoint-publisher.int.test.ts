/**
 * The witness slot: with a publisher configured, a checkpoint is served only once the publisher has
 * returned it cosigned; when publishing fails the previous cosigned checkpoint stays served, and the
 * next step tries again with the newest checkpoint and a consistency proof from the last one published.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines } from '../../../test/engines.ts';
import { openStore, type Store } from '../../store/database.ts';
import {
  createCosignatureVerifier, createCosigner, createSignature, generateSeed, openNote, parseNote, parseVerifierKey, publicKeyOfSeed,
  signNote, verifyConsistency,
} from '../tlog/index.ts';
import type { PublishRequest } from './checkpoint-publisher.ts';
import { createLogReader } from './log-reader.ts';
import { appendSamplesAtOnce, testIntegrator, testSigner } from './test-support/log-fixture.ts';

describe.each(engines)('checkpoint publisher on $name', (engine) => {
  let store: Store;
  afterEach(async () => store?.close());

  it('serves only cosigned checkpoints and retries after a failure', async () => {
    store = await openStore(await engine.freshUrl());
    const signer = testSigner();
    const seed = generateSeed();
    const cosigner = createCosigner({ name: 'witness.example/w1', seed });
    const witness = createCosignatureVerifier('witness.example/w1', publicKeyOfSeed(seed));
    const requests: PublishRequest[] = [];
    let down = false;
    const integrator = testIntegrator(store, signer, {
      publisher: {
        async publish(request) {
          requests.push(request);
          if (down) throw new Error('witness unreachable');
          if (request.previous && request.previous.checkpoint.size > 0n) {
            const proof = await request.proveFrom(request.previous.checkpoint.size);
            verifyConsistency(request.previous.checkpoint.size, request.checkpoint.size, proof, request.previous.checkpoint.root, request.checkpoint.root);
          }
          const { text, signatures } = parseNote(request.note);
          return signNote(text, [], [...signatures, createSignature(cosigner, text)]);
        },
      },
    });
    const reader = createLogReader(store.db);
    const served = async () => (await reader.latestCheckpoint())!;

    await appendSamplesAtOnce(store, 10);
    await integrator.step();
    const first = await served();
    expect(first.checkpoint.size).toBe(10n);
    const opened = openNote(first.note, [parseVerifierKey(signer.verifierKey), witness]);
    expect(opened.verified.map((s) => s.name)).toEqual([signer.name, 'witness.example/w1']);

    down = true;
    await appendSamplesAtOnce(store, 5, 10);
    await integrator.step();
    expect((await served()).checkpoint.size).toBe(10n); // the unwitnessed checkpoint of 15 is not served
    expect(requests.at(-1)!.checkpoint.size).toBe(15n);

    down = false;
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the retry pause after a failure
    await appendSamplesAtOnce(store, 5, 15);
    await integrator.step();
    const last = await served();
    expect(last.checkpoint.size).toBe(20n);
    expect(requests.at(-1)!.previous!.checkpoint.size).toBe(10n);
    expect(openNote(last.note, [witness]).verified).toHaveLength(1);
  }, 30_000);
});
