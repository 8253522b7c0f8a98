import { afterEach, describe, expect, it } from 'vitest';
import { createCosigner, formatVerifierKey, SIGNATURE_TYPE_COSIGNATURE_V1, type Checkpoint } from '../tlog/index.ts';
import { createTestLog, type TestLog } from './fixtures/test-log.ts';
import { startTestWitness, type TestWitness } from './fixtures/test-witness.ts';
import { verifyCosignedCheckpoint } from './cosigned-checkpoint.ts';
import { createWitnessPublisher, parseWitnessEndpoints, type CheckpointToPublish } from './witness-publisher.ts';

const running: TestWitness[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.close()));
});

async function listening(log: TestLog): Promise<{ w: TestWitness; url: string }> {
  const w = await startTestWitness([log]);
  running.push(w);
  return { w, url: await w.app.listen({ port: 0, host: '127.0.0.1' }) };
}

function requestFor(log: TestLog, previous?: { checkpoint: Checkpoint; note: string }): CheckpointToPublish {
  const size = log.entries.length;
  return {
    checkpoint: { origin: log.origin, size: BigInt(size), root: log.root() },
    note: log.checkpoint(),
    previous,
    proveFrom: async (from) => log.consistency(from, size),
  };
}

describe('createWitnessPublisher', () => {
  it('gets every witness to cosign each new checkpoint, chaining proofs from the previous one', async () => {
    const log = createTestLog();
    const a = await listening(log);
    const b = await listening(log);
    const publisher = createWitnessPublisher({ witnesses: [a, b].map(({ w, url }) => ({ url, verifierKey: w.verifierKey })) });
    let previous: { checkpoint: Checkpoint; note: string } | undefined;
    for (const grow of [3, 1, 300]) {
      log.append(grow);
      const request = requestFor(log, previous);
      const note = await publisher.publish(request);
      const verified = verifyCosignedCheckpoint(note, log.verifier, [a.w.verifier, b.w.verifier], 2);
      expect(verified.checkpoint.size).toBe(BigInt(log.entries.length));
      previous = { checkpoint: request.checkpoint, note };
    }
  });

  it('a fresh publisher (restart) catches up with a witness through its 409', async () => {
    const log = createTestLog();
    const { w, url } = await listening(log);
    log.append(5);
    await createWitnessPublisher({ witnesses: [{ url, verifierKey: w.verifierKey }] }).publish(requestFor(log));
    log.append(5);
    const note = await createWitnessPublisher({ witnesses: [{ url, verifierKey: w.verifierKey }] }).publish(requestFor(log));
    expect(verifyCosignedCheckpoint(note, log.verifier, [w.verifier], 1).checkpoint.size).toBe(10n);
  });

  it('below the quorum it throws, so the previous checkpoint stays published; at the quorum it publishes', async () => {
    const log = createTestLog();
    const { w, url } = await listening(log);
    const downKey = createCosigner({ name: 'down.example/w', seed: Buffer.alloc(32, 5) }).publicKey;
    const down = { url: 'http://127.0.0.1:1', verifierKey: formatVerifierKey('down.example/w', downKey, SIGNATURE_TYPE_COSIGNATURE_V1) };
    log.append(2);
    const errors: string[] = [];
    const strict = createWitnessPublisher({ witnesses: [{ url, verifierKey: w.verifierKey }, down], timeoutMs: 2000 });
    await expect(strict.publish(requestFor(log))).rejects.toMatchObject({ code: 'quorum_not_met' });
    const lenient = createWitnessPublisher({ witnesses: [{ url, verifierKey: w.verifierKey }, down], quorum: 1, timeoutMs: 2000, onWitnessError: (u) => errors.push(u) });
    log.append(2);
    const note = await lenient.publish(requestFor(log));
    expect(verifyCosignedCheckpoint(note, log.verifier, [w.verifier], 1).cosignatures).toHaveLength(1);
    expect(errors).toEqual(['http://127.0.0.1:1']);
  });

  it('a split view is not published: the witness refuses a second tree of a cosigned size', async () => {
    const log = createTestLog();
    const { w, url } = await listening(log);
    const publisher = createWitnessPublisher({ witnesses: [{ url, verifierKey: w.verifierKey }] });
    log.append(4);
    await publisher.publish(requestFor(log));
    const fork = log.fork(2);
    fork.append(2, 'forged');
    await expect(createWitnessPublisher({ witnesses: [{ url, verifierKey: w.verifierKey }] }).publish(requestFor(fork))).rejects.toMatchObject({ code: 'quorum_not_met' });
  });

  it('refuses an impossible quorum or a bad witness key', () => {
    expect(() => createWitnessPublisher({ witnesses: [] })).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
    expect(() => createWitnessPublisher({ witnesses: [{ url: 'http://x', verifierKey: 'nope' }] })).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
  });

  it('parseWitnessEndpoints reads "<url> <verifier key>" entries separated by newlines or commas', async () => {
    const log = createTestLog();
    const { w, url } = await listening(log);
    expect(parseWitnessEndpoints(`${url} ${w.verifierKey}\n, http://other.example:7380 ${w.verifierKey}\n`)).toEqual([
      { url, verifierKey: w.verifierKey },
      { url: 'http://other.example:7380', verifierKey: w.verifierKey },
    ]);
    expect(parseWitnessEndpoints('')).toEqual([]);
    for (const bad of [w.verifierKey, `ftp://x ${w.verifierKey}`, `${url} nonsense`, `${url} ${w.verifierKey} extra`]) {
      expect(() => parseWitnessEndpoints(bad), bad).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
    }
  });
});
